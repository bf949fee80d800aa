/** Writes create their collection implicitly, as in MongoDB. */
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { CommandContext } from '../context.js';
import { validateCollectionName } from '../namespace.js';

/** Must run inside a storage write. */
export function ensureCollection(context: CommandContext, namespace: string): CollectionEntry {
  const storage = context.server.storage;
  const existing = storage.collection(namespace);
  if (existing !== undefined) return existing;
  const dot = namespace.indexOf('.');
  validateCollectionName(namespace.slice(0, dot), namespace.slice(dot + 1), { forCreate: true });
  return storage.createCollection(namespace, {});
}
