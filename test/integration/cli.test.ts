/** shoald as mongod-compatible tools start it: flags, config file, version, bad options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { shoaldPath, startServer, temporaryDirectory } from '../helpers/server-process.js';

const run = promisify(execFile);

test('--version prints "db version v7.0.x" as MONGOMS_SYSTEM_BINARY checks expect', async () => {
  const { stdout } = await run(process.execPath, [shoaldPath, '--version']);
  assert.match(stdout.split('\n')[0] ?? '', /^db version v7\.0\.\d+$/);
});

test('an unknown option exits with code 2 and a mongod-style message', async () => {
  await assert.rejects(
    run(process.execPath, [shoaldPath, '--no-such-option']),
    (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr ?? '', /unrecognised option '--no-such-option'/);
      return true;
    },
  );
});

test('the YAML config file sets the port, data directory and log path', async () => {
  const directory = temporaryDirectory();
  const config = join(directory, 'mongod.conf');
  const logPath = join(directory, 'mongod.log');
  writeFileSync(
    config,
    `net:\n  port: 0\n  bindIp: 127.0.0.1\nstorage:\n  dbPath: ${join(directory, 'db')}\nsystemLog:\n  destination: file\n  path: ${logPath}\n`,
  );
  const child = await import('node:child_process').then(({ spawn }) =>
    spawn(process.execPath, [shoaldPath, '--config', config], { stdio: 'ignore' }),
  );
  try {
    let port: number | undefined;
    for (let attempt = 0; attempt < 100 && port === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { readFileSync, existsSync } = await import('node:fs');
      if (!existsSync(logPath)) continue;
      for (const line of readFileSync(logPath, 'utf8').split('\n')) {
        if (line.includes('"id":23016'))
          port = (JSON.parse(line) as { attr: { port: number } }).attr.port;
      }
    }
    assert.ok(port !== undefined && port > 0, 'the log file names the listening port');
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/`);
    const options = await client.db('admin').command({ getCmdLineOpts: 1 });
    assert.equal(options.parsed.storage.dbPath, join(directory, 'db'));
    await client.close();
  } finally {
    child.kill('SIGTERM');
  }
});

test('SIGTERM shuts down cleanly with exit code 0 and the "Now exiting" log line', async () => {
  const server = await startServer();
  const code = await server.stop();
  assert.equal(code, 0);
  assert.ok(server.logLines.some((line) => line.includes('"id":20565')));
  server.cleanup();
});

test('the shutdown command stops the server from localhost', async () => {
  const server = await startServer({ inMemory: true });
  const client = new MongoClient(server.uri);
  await client
    .db('admin')
    .command({ shutdown: 1 })
    .catch(() => undefined);
  await client.close();
  const code = await new Promise<number | null>((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.once('exit', resolve);
  });
  assert.equal(code, 0);
});
