/** What one test case accumulates while it runs, and what its cleanup must undo. */
import type { MongoClient } from 'mongodb';
import type { Arguments } from './arguments.js';
import type { Entity } from './entities.js';
import { EntityMap } from './entities.js';
import type { TestEnvironment } from './environment.js';

export interface FailPointRecord {
  client: MongoClient;
  name: string;
}

export class TestState {
  readonly entities: EntityMap;
  readonly failPoints: FailPointRecord[] = [];
  startedTransaction = false;

  constructor(readonly environment: TestEnvironment) {
    this.entities = new EntityMap(environment);
  }
}

/**
 * What an operation produced: a value to match or save, whether a top-level array holds
 * root-level documents (iterated cursors), or an entity to save (cursors, collections).
 */
export interface OperationResult {
  value?: unknown;
  rootElements?: boolean;
  entity?: Entity;
}

export type OperationHandler<Target> = (
  target: Target,
  args: Arguments,
  state: TestState,
) => Promise<OperationResult> | OperationResult;
