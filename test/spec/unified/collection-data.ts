/**
 * initialData and outcome (spec: Executing a Test), always through the internal client:
 * setup writes use w:majority (our standalone accepts it), the outcome is read sorted by
 * _id with read concern "local" and must match exactly (key order aside).
 */
import type { Document, MongoClient } from 'mongodb';
import { describeValue } from './bson-values.js';
import { MatchError } from './match.js';
import { exactlyEqual } from './scalar-equality.js';
import type { CollectionData } from './schema.js';
import { errorCode } from './skip-test.js';

const majority = { writeConcern: { w: 'majority' } } as const;
const namespaceNotFound = 26;

export async function loadInitialData(
  client: MongoClient,
  collections: CollectionData[] | undefined,
): Promise<void> {
  for (const data of collections ?? []) {
    const database = client.db(data.databaseName);
    try {
      await database.command({ drop: data.collectionName, ...majority });
    } catch (error) {
      if (errorCode(error) !== namespaceNotFound) throw error;
    }
    if (data.createOptions !== undefined || data.documents.length === 0) {
      await database.command({ create: data.collectionName, ...data.createOptions, ...majority });
    }
    if (data.documents.length > 0) {
      await database.collection(data.collectionName).insertMany(data.documents, majority);
    }
  }
}

export async function assertOutcome(
  client: MongoClient,
  collections: CollectionData[] | undefined,
): Promise<void> {
  for (const data of collections ?? []) {
    const namespace = `${data.databaseName}.${data.collectionName}`;
    const actual: Document[] = await client
      .db(data.databaseName)
      .collection(data.collectionName)
      .find(
        {},
        {
          sort: { _id: 1 },
          readConcern: { level: 'local' },
          readPreference: 'primary',
          promoteValues: false,
        },
      )
      .toArray();
    if (actual.length !== data.documents.length) {
      throw new MatchError(
        `outcome of ${namespace}: expected ${data.documents.length} documents, got ${actual.length}: ${describeValue(actual)}`,
      );
    }
    data.documents.forEach((expected, index) => {
      if (!exactlyEqual(expected, actual[index])) {
        throw new MatchError(
          `outcome of ${namespace}[${index}]: expected ${describeValue(expected)}, got ${describeValue(actual[index])}`,
        );
      }
    });
  }
}
