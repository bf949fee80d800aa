/**
 * Shared by the index test files: one in-memory shoald per file (TTL monitor every
 * second), the document and explain shapes they read, and error assertions.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import { startServer } from './server-process.js';
import type { ServerProcess } from './server-process.js';

/** Test documents: any _id type, any fields. */
export interface Loose {
  _id?: number | string;
  [field: string]: unknown;
}

export interface ExplainStage {
  stage: string;
  inputStage?: ExplainStage;
  indexName?: string;
  indexBounds?: Record<string, string[]>;
  isMultiKey?: boolean;
  multiKeyPaths?: Record<string, string[]>;
  direction?: string;
  keysExamined?: number;
  docsExamined?: number;
  nReturned?: number;
}

/** The stage names of a plan from the root down. */
export function stages(plan: ExplainStage | undefined): string[] {
  const names: string[] = [];
  for (let stage = plan; stage !== undefined; stage = stage.inputStage) names.push(stage.stage);
  return names;
}

export function ixscan(plan: ExplainStage): ExplainStage {
  for (let stage: ExplainStage | undefined = plan; stage; stage = stage.inputStage)
    if (stage.stage === 'IXSCAN') return stage;
  assert.fail(`no IXSCAN in ${JSON.stringify(plan)}`);
}

/** `codeName` undefined: a write error, which carries only code and errmsg. */
export async function rejects(
  promise: Promise<unknown>,
  code: number,
  codeName: string | undefined,
  message?: RegExp,
): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MongoServerError, `expected ${codeName}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (codeName !== undefined) assert.equal(caught.codeName, codeName);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}

export interface IndexServer {
  db: () => Db;
  collection: (name: string) => Collection<Loose>;
  count: (name: string) => Promise<number>;
  explain: (
    command: Document,
    verbosity?: 'queryPlanner' | 'executionStats' | 'allPlansExecution',
  ) => Promise<Document>;
}

/** Registers before/after hooks in the calling describe: a server for its tests. */
export function useIndexServer(dbName = 'indexes'): IndexServer {
  let server: ServerProcess | undefined;
  let client: MongoClient | undefined;
  let db: Db | undefined;

  before(async () => {
    server = await startServer({
      inMemory: true,
      args: ['--setParameter', 'ttlMonitorSleepSecs=1'],
    });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db(dbName);
  });

  after(async () => {
    await client?.close();
    await server?.stop();
    server?.cleanup();
  });

  const current = (): Db => {
    assert.ok(db !== undefined, 'the index test server is not running');
    return db;
  };
  const collection = (name: string): Collection<Loose> => current().collection<Loose>(name);
  return {
    db: current,
    collection,
    count: async (name) => (await collection(name).find().toArray()).length,
    explain: async (command, verbosity = 'executionStats') =>
      current().command({ explain: command, verbosity }),
  };
}
