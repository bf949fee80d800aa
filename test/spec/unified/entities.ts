/**
 * The entity map of one test: names are unique, lookups check the kind, and closing it
 * ends sessions, closes cursors and clients (spec: Entity Map, Executing a Test).
 */
import { GridFSBucket } from 'mongodb';
import type {
  AbstractCursor,
  ChangeStream,
  ClientSession,
  Collection,
  Db,
  Document,
} from 'mongodb';
import { ClientEntity } from './client-entity.js';
import { concernOptions } from './common-options.js';
import type { TestEnvironment } from './environment.js';
import type { MatchEntities } from './match.js';
import { RunnerError } from './runner-error.js';

export type Entity =
  | { kind: 'client'; value: ClientEntity }
  | { kind: 'database'; value: Db }
  | { kind: 'collection'; value: Collection }
  | { kind: 'session'; value: ClientSession; lsid: Document; client: ClientEntity }
  | { kind: 'bucket'; value: GridFSBucket }
  | { kind: 'cursor'; value: AbstractCursor }
  | { kind: 'changeStream'; value: ChangeStream }
  | { kind: 'bson'; value: unknown };

export type EntityKind = Entity['kind'];
type EntityOf<K extends EntityKind> = Extract<Entity, { kind: K }>;

export class EntityMap implements MatchEntities {
  private readonly entries = new Map<string, Entity>();

  constructor(private readonly environment: TestEnvironment) {}

  set(name: string, entity: Entity): void {
    if (this.entries.has(name)) throw new RunnerError(`entity "${name}" already exists`);
    this.entries.set(name, entity);
  }

  get(name: string): Entity {
    const entity = this.entries.get(name);
    if (entity === undefined) throw new RunnerError(`no entity named "${name}"`);
    return entity;
  }

  of<K extends EntityKind>(kind: K, name: string): EntityOf<K> {
    const entity = this.get(name);
    if (entity.kind !== kind)
      throw new RunnerError(`entity "${name}" is a ${entity.kind}, not a ${kind}`);
    return entity as EntityOf<K>;
  }

  clients(): ClientEntity[] {
    return [...this.entries.values()].flatMap((entity) =>
      entity.kind === 'client' ? [entity.value] : [],
    );
  }

  entityValue(name: string): unknown {
    return this.of('bson', name).value;
  }

  sessionLsid(name: string): Document {
    return this.of('session', name).lsid;
  }

  /** createEntities, in file order (files list entities after what they depend on). */
  create(descriptions: Document[] | undefined): void {
    for (const description of descriptions ?? []) {
      const kinds = Object.keys(description);
      if (kinds.length !== 1)
        throw new RunnerError(`an entity needs exactly one type key, got ${kinds.join(', ')}`);
      const kind = kinds[0]!;
      const fields = description[kind] as Document;
      this.set(String(fields['id']), this.build(kind, fields));
    }
  }

  private build(kind: string, fields: Document): Entity {
    switch (kind) {
      case 'client':
        return { kind: 'client', value: new ClientEntity(fields, this.environment) };
      case 'database': {
        const client = this.of('client', String(fields['client'])).value.client;
        const options = concernOptions(fields['databaseOptions'] as Document | undefined);
        return { kind: 'database', value: client.db(String(fields['databaseName']), options) };
      }
      case 'collection': {
        const database = this.of('database', String(fields['database'])).value;
        const options = concernOptions(fields['collectionOptions'] as Document | undefined);
        return {
          kind: 'collection',
          value: database.collection(String(fields['collectionName']), options),
        };
      }
      case 'session':
        return this.session(fields);
      case 'bucket': {
        const database = this.of('database', String(fields['database'])).value;
        return {
          kind: 'bucket',
          value: new GridFSBucket(database, concernOptions(fields['bucketOptions'] as Document)),
        };
      }
      default:
        throw new RunnerError(`runner lacks entity type ${kind}`);
    }
  }

  private session(fields: Document): Entity {
    const client = this.of('client', String(fields['client'])).value;
    const { defaultTransactionOptions, ...sessionOptions } =
      (fields['sessionOptions'] as Document | undefined) ?? {};
    const options = concernOptions(sessionOptions);
    if (defaultTransactionOptions !== undefined) {
      options['defaultTransactionOptions'] = concernOptions(defaultTransactionOptions as Document);
    }
    const session = client.client.startSession(options);
    // An explicit session holds its server session from the start; keep its lsid for
    // $$sessionLsid checks that run after endSession.
    const lsid = session.id;
    if (lsid === undefined) throw new RunnerError('an explicit session has no lsid');
    return { kind: 'session', value: session, lsid, client };
  }

  /** Ends sessions, closes cursors, then clients; errors here must not hide the test's own. */
  async close(): Promise<void> {
    const entities = [...this.entries.values()];
    for (const entity of entities) {
      if (entity.kind === 'session') await entity.value.endSession().catch(() => undefined);
      if (entity.kind === 'cursor' || entity.kind === 'changeStream')
        await entity.value.close().catch(() => undefined);
    }
    for (const entity of entities) {
      if (entity.kind === 'client') await entity.value.close().catch(() => undefined);
    }
    this.entries.clear();
  }
}
