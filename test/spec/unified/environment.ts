/**
 * One server for a whole suite, and what the runner learns about it once: version,
 * topology, parameters. SHOAL_SPEC_URI points the runner at a server that is already
 * running (for example a real mongod, to check the runner itself); otherwise a shoald
 * process is started in memory.
 */
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { startServer } from '../../helpers/server-process.js';
import type { ServerProcess } from '../../helpers/server-process.js';
import { errorCode, UnsupportedCommands } from './skip-test.js';

export type Topology = 'single' | 'replicaset' | 'sharded' | 'load-balanced';

export interface ServerInfo {
  version: [number, number, number];
  topology: Topology;
  auth: boolean;
  serverless: boolean;
  /** Client-side encryption needs mongodb-client-encryption, which this project does not ship. */
  csfle: boolean;
}

/** killAllSessions failures the spec lets runners ignore (Terminating Open Transactions). */
const ignorableKillAllSessionsCodes = new Set([11601, 13, 59]);

function topologyOf(hello: Document): Topology {
  if (hello['serviceId'] !== undefined) return 'load-balanced';
  if (hello['msg'] === 'isdbgrid') return 'sharded';
  if (typeof hello['setName'] === 'string') return 'replicaset';
  return 'single';
}

export class TestEnvironment {
  readonly unsupported = new UnsupportedCommands();
  private parameters: Document | undefined;

  private constructor(
    readonly uri: string,
    readonly internalClient: MongoClient,
    readonly info: ServerInfo,
    private readonly server: ServerProcess | undefined,
  ) {
    internalClient.on('commandFailed', (event) =>
      this.unsupported.record(event.commandName, event.failure),
    );
    internalClient.on('commandSucceeded', (event) =>
      this.unsupported.recordReply(event.commandName, event.reply),
    );
  }

  static async start(): Promise<TestEnvironment> {
    const externalUri = process.env['SHOAL_SPEC_URI'];
    const server = externalUri === undefined ? await startServer({ inMemory: true }) : undefined;
    const uri = externalUri ?? server!.uri;
    const internalClient = new MongoClient(uri, {
      monitorCommands: true,
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      await internalClient.connect();
      const admin = internalClient.db('admin');
      const hello = await admin.command({ hello: 1 });
      const buildInfo = await admin.command({ buildInfo: 1 });
      const versionArray = (buildInfo['versionArray'] as number[] | undefined) ?? [0, 0, 0];
      const info: ServerInfo = {
        version: [versionArray[0] ?? 0, versionArray[1] ?? 0, versionArray[2] ?? 0],
        topology: topologyOf(hello),
        auth: /\/\/[^/]*@/.test(uri),
        serverless: false,
        csfle: false,
      };
      const environment = new TestEnvironment(uri, internalClient, info, server);
      await environment.killAllSessions();
      return environment;
    } catch (error) {
      await internalClient.close();
      await server?.stop();
      server?.cleanup();
      throw error;
    }
  }

  /** Ends open transactions left by a test (spec: Terminating Open Transactions). */
  async killAllSessions(): Promise<void> {
    try {
      await this.internalClient.db('admin').command({ killAllSessions: [] });
    } catch (error) {
      const code = errorCode(error);
      if (code === undefined || !ignorableKillAllSessionsCodes.has(code)) throw error;
    }
  }

  /**
   * A server parameter's value, or undefined when the server does not have it. getParameter
   * '*' is asked once; a server that refuses it is asked parameter by parameter.
   */
  async serverParameter(name: string): Promise<unknown> {
    const admin = this.internalClient.db('admin');
    if (this.parameters === undefined) {
      try {
        this.parameters = await admin.command({ getParameter: '*' });
      } catch {
        this.parameters = {};
      }
    }
    if (name in this.parameters) return this.parameters[name];
    try {
      const reply = await admin.command({ getParameter: 1, [name]: 1 });
      this.parameters[name] = reply[name];
      return reply[name];
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.internalClient.close();
    if (this.server !== undefined) {
      await this.server.stop();
      this.server.cleanup();
    }
  }
}
