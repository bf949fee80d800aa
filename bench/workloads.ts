/**
 * The measured operations. Each one is a single driver call, so a workload's rate is what an
 * application sees; `units` counts the documents or queries inside one call where that, not
 * the call, is the figure of merit (insertMany documents, documents a scan reads).
 */
import type { Collection, Db, Document } from 'mongodb';
import { SeededRandom } from '../src/platform/random.js';

/** The collection find, scan and update workloads read: loaded once, never grown. */
export const documentsCollection = 'documents';
export const documentsCount = 10_000;
export const insertManyBatch = 1000;

export interface Workload {
  name: string;
  /** What `units` counts, or undefined when only operations matter. */
  unit?: string;
  /** The client counts to run it at; every count also gets a ping baseline. */
  clients: readonly number[];
  /** Builds the per-run operation; `worker` is 0 … clients - 1. */
  prepare(database: Db): (worker: number) => Promise<number>;
}

/** About 200 bytes of BSON with an ObjectId _id (198–225, 212 on average), like an app record. */
export function sampleDocument(index: number, random: SeededRandom): Document {
  return {
    name: `user-${String(index).padStart(7, '0')}`,
    age: 18 + (index % 60),
    category: `c${index % 10}`,
    score: random.next(),
    tags: ['red', 'green', 'blue'].slice(0, 1 + (index % 3)),
    address: {
      street: `${index % 1000} Main St`,
      city: 'Springfield',
    },
    createdAt: new Date(1_700_000_000_000 + index * 1000),
    counter: 0,
  };
}

export async function loadDocuments(database: Db): Promise<void> {
  const random = new SeededRandom(1);
  const collection = database.collection(documentsCollection);
  await collection.drop().catch(() => undefined);
  for (let start = 0; start < documentsCount; start += insertManyBatch) {
    const batch = Array.from({ length: insertManyBatch }, (_, offset) => ({
      _id: start + offset,
      ...sampleDocument(start + offset, random),
    }));
    await collection.insertMany(batch as Document[], { ordered: false });
  }
}

/** Uniform random _ids of the loaded collection, one seeded stream per worker. */
function idPicker(seed: number): (worker: number) => number {
  const streams: SeededRandom[] = [];
  return (worker) => {
    const random = (streams[worker] ??= new SeededRandom(seed + worker));
    return Math.floor(random.next() * documentsCount);
  };
}

const inserts = (database: Db): Collection => database.collection('inserts');

export const ping: Workload = {
  name: 'ping',
  clients: [1, 16],
  prepare: (database) => {
    const admin = database.client.db('admin');
    return async () => {
      await admin.command({ ping: 1 });
      return 1;
    };
  },
};

export const workloads: readonly Workload[] = [
  ping,
  {
    name: 'insertOne',
    clients: [1, 16],
    prepare: (database) => {
      const random = new SeededRandom(2);
      let index = 0;
      return async () => {
        await inserts(database).insertOne(sampleDocument(index++, random));
        return 1;
      };
    },
  },
  {
    name: `insertMany (${insertManyBatch} docs)`,
    unit: 'docs',
    clients: [1, 16],
    prepare: (database) => {
      const random = new SeededRandom(3);
      const template = Array.from({ length: insertManyBatch }, (_, index) =>
        sampleDocument(index, random),
      );
      // Fresh objects each call: the driver writes the generated _id into what it is given.
      return async () => {
        await inserts(database).insertMany(
          template.map((document) => ({ ...document })),
          { ordered: false },
        );
        return insertManyBatch;
      };
    },
  },
  {
    name: 'find by _id',
    clients: [1, 16],
    prepare: (database) => {
      const collection = database.collection(documentsCollection);
      const pick = idPicker(1000);
      return async (worker) => {
        await collection.findOne({ _id: pick(worker) } as Document);
        return 1;
      };
    },
  },
  {
    name: `find, collection scan (${documentsCount / 1000}k docs)`,
    unit: 'docs scanned',
    clients: [1, 16],
    prepare: (database) => {
      const collection = database.collection(documentsCollection);
      // No index on these fields: every query reads the whole collection to return ~10 documents.
      return async () => {
        await collection.find({ category: 'c3', score: { $gte: 0.99 } }).toArray();
        return documentsCount;
      };
    },
  },
  {
    name: 'updateOne by _id ($inc)',
    clients: [1, 16],
    prepare: (database) => {
      const collection = database.collection(documentsCollection);
      const pick = idPicker(2000);
      return async (worker) => {
        await collection.updateOne({ _id: pick(worker) } as Document, { $inc: { counter: 1 } });
        return 1;
      };
    },
  },
  {
    name: 'insertOne j:true (group commit)',
    clients: [16],
    prepare: (database) => {
      const random = new SeededRandom(4);
      let index = 0;
      return async () => {
        await inserts(database).insertOne(sampleDocument(index++, random), {
          writeConcern: { w: 1, j: true },
        });
        return 1;
      };
    },
  },
];
