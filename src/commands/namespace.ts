/** MongoDB's rules for database and collection names (NamespaceString::validDBName etc.). */
import { MongoError } from '../errors/mongo-error.js';

export const databaseNameBytesMax = 63;
export const namespaceBytesMax = 255;

const forbiddenInDatabase = /[/\\. "$*<>:|?\0]/;

export function validateDatabaseName(name: string): void {
  if (
    name.length === 0 ||
    forbiddenInDatabase.test(name) ||
    Buffer.byteLength(name) > databaseNameBytesMax
  ) {
    throw new MongoError('InvalidNamespace', `Invalid database name: '${name}'`);
  }
}

/** System collections users may create or write to directly. */
const writableSystemCollections = new Set([
  'system.js',
  'system.profile',
  'system.views',
  'system.buckets',
]);

export function validateCollectionName(
  database: string,
  name: string,
  options: { forCreate?: boolean } = {},
): string {
  validateDatabaseName(database);
  const namespace = `${database}.${name}`;
  if (name.length === 0 || name.includes('\0') || name.startsWith('.')) {
    throw new MongoError('InvalidNamespace', `Invalid namespace specified '${namespace}'`);
  }
  if (name.includes('$')) {
    throw new MongoError('InvalidNamespace', `Invalid collection name: ${name}`);
  }
  if (Buffer.byteLength(namespace) > namespaceBytesMax) {
    throw new MongoError(
      'InvalidNamespace',
      `Fully qualified namespace is too long. Namespace: ${namespace} Max: ${namespaceBytesMax}`,
    );
  }
  if (options.forCreate && name.startsWith('system.') && !writableSystemCollections.has(name)) {
    throw new MongoError('InvalidNamespace', `Invalid system namespace: ${namespace}`);
  }
  return namespace;
}
