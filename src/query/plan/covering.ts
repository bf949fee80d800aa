/**
 * Covered queries: answered from index keys alone, without fetching documents. Only when
 * every field the filter, sort and projection read is a (non-dotted) index field, the
 * index is neither multikey nor holding truncated keys, and the filter guarantees each
 * projected field exists, since a missing field and null share one index key.
 */
import type { IndexEntry } from '../../storage/catalog-entry.js';
import type { FilterNode } from '../filter/index.js';
import type { FindRequest } from './find-request.js';
import type { IndexBounds } from './index-bounds.js';
import { conjunctsOf } from './index-bounds.js';
import { mayMatchMissing } from './leaf-bounds.js';

function filterPaths(node: FilterNode, out: Set<string>): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return node.children.every((child) => filterPaths(child, out));
    case 'not':
      return filterPaths(node.child, out);
    case 'alwaysTrue':
      return true;
    case 'expr':
    case 'jsonSchema':
    case 'sampleRate':
    case 'alwaysFalse':
    case 'elemMatch':
    case 'all':
      return false;
    default:
      out.add(node.path);
      return true;
  }
}

export function coverable(index: IndexEntry, _bounds: IndexBounds, request: FindRequest): boolean {
  const projected = request.projection?.fields;
  if (projected === undefined || index.multikey || index.longKeys) return false;
  const indexPaths = new Set(index.fields.map((field) => field.path));
  if ([...indexPaths].some((path) => path.includes('.'))) return false;
  const used = new Set<string>();
  if (!filterPaths(request.filterNode, used)) return false;
  for (const field of request.sortFields) used.add(field.path);
  for (const field of projected) used.add(field);
  if (![...used].every((path) => indexPaths.has(path))) return false;
  const guaranteed = new Set(
    conjunctsOf(request.filterNode)
      .filter((node) => 'path' in node && !mayMatchMissing(node))
      .map((node) => (node as { path: string }).path),
  );
  return projected.every((field) => guaranteed.has(field));
}
