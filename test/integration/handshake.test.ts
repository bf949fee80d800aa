/** The handshake and admin commands, through the official driver and mongosh. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { repositoryRoot, startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

describe('handshake and admin commands', () => {
  let server: ServerProcess;
  let client: MongoClient;

  before(async () => {
    server = await startServer({ inMemory: true });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  test('hello reports a standalone with MongoDB 7.0 wire versions and session support', async () => {
    const hello = await client.db('admin').command({ hello: 1 });
    assert.equal(hello.isWritablePrimary, true);
    assert.equal(hello.minWireVersion, 0);
    assert.equal(hello.maxWireVersion, 21);
    assert.equal(hello.logicalSessionTimeoutMinutes, 30);
    assert.equal(hello.maxBsonObjectSize, 16 * 1024 * 1024);
    assert.equal(hello.maxMessageSizeBytes, 48_000_000);
    assert.equal(hello.maxWriteBatchSize, 100_000);
    assert.ok(hello.localTime instanceof Date);
    assert.equal(typeof hello.connectionId, 'number');
    assert.equal(hello.setName, undefined);
    // No topologyVersion: the driver must poll, not stream (see driver-compat.md §2).
    assert.equal(hello.topologyVersion, undefined);
    const legacy = await client.db('admin').command({ isMaster: 1 });
    assert.equal(legacy.ismaster, true);
  });

  test('buildInfo reports 7.0 with a versionArray', async () => {
    const info = await client.db('admin').command({ buildInfo: 1 });
    assert.match(info.version, /^7\.0\.\d+$/);
    assert.deepEqual(info.versionArray.slice(0, 2), [7, 0]);
  });

  test('unknown commands fail with CommandNotFound and the server goes on', async () => {
    await assert.rejects(
      client.db('test').command({ noSuchCommand: 1 }),
      (error: Error & { code?: number; codeName?: string }) => {
        assert.equal(error.code, 59);
        assert.equal(error.codeName, 'CommandNotFound');
        assert.equal(error.message, "no such command: 'noSuchCommand'");
        return true;
      },
    );
    assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1);
  });

  test('admin commands answer in MongoDB shapes', async () => {
    const admin = client.db('admin');
    const parameters = await admin.command({ getParameter: '*' });
    assert.deepEqual(parameters.featureCompatibilityVersion, { version: '7.0' });
    const named = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
    assert.deepEqual(Object.keys(named).sort(), ['featureCompatibilityVersion', 'ok']);
    const options = await admin.command({ getCmdLineOpts: 1 });
    assert.ok(options.argv.includes('--port'));
    assert.equal(options.parsed.net.port, 0);
    const log = await admin.command({ getLog: 'global' });
    assert.ok(log.log.some((line: string) => JSON.parse(line).id === 23016));
    const status = await admin.command({ serverStatus: 1 });
    assert.ok(status.connections.current >= 1);
    assert.ok(status.uptime >= 0);
    assert.equal(typeof status.opcounters.insert, 'number');
    const me = await admin.command({ whatsmyuri: 1 });
    assert.match(me.you, /^127\.0\.0\.1:\d+$/);
    const commands = await admin.command({ listCommands: 1 });
    assert.ok('find' in commands.commands && 'hello' in commands.commands);
    const connection = await admin.command({ connectionStatus: 1 });
    assert.deepEqual(connection.authInfo.authenticatedUsers, []);
    const host = await admin.command({ hostInfo: 1 });
    assert.ok(host.system.numCores >= 1);
    const ops = await admin.command({ currentOp: 1 });
    assert.ok(Array.isArray(ops.inprog) && ops.inprog.length >= 1, 'currentOp sees itself');
    await assert.rejects(client.db('test').command({ getParameter: '*' }), /admin database/);
  });

  test('sessions: startSession, endSessions, killAllSessions', async () => {
    const admin = client.db('admin');
    const started = await admin.command({ startSession: 1 });
    assert.equal(started.id.id.sub_type, 4);
    assert.equal((await admin.command({ endSessions: [started.id] })).ok, 1);
    assert.equal((await admin.command({ killAllSessions: [] })).ok, 1);
  });

  test('mongosh connects, runs commands and prints results', async () => {
    const mongosh = join(repositoryRoot, 'node_modules', '.bin', 'mongosh');
    const script =
      'db.getSiblingDB("shell").c.insertOne({x: 1}); print(JSON.stringify(db.getSiblingDB("shell").runCommand({count: "c"})))';
    const { stdout } = await run(mongosh, [server.uri, '--quiet', '--eval', script], {
      timeout: 60000,
    });
    assert.match(stdout, /"n":1/);
  });
});
