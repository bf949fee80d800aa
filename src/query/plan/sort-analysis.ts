/**
 * Can an index scan produce documents already in the requested sort order? Fields pinned
 * to a single value by equality can be skipped; the remaining sort fields must follow the
 * index's fields in order, all in the index's direction (forward scan) or all reversed
 * (backward scan). A multikey index, or one holding truncated long keys, never provides
 * order.
 */
import type { IndexEntry } from '../../storage/catalog-entry.js';
import type { SortField } from '../sort.js';
import type { Interval } from './intervals.js';
import { isPoint } from './intervals.js';

function pinned(bounds: Interval[] | undefined): boolean {
  return bounds !== undefined && bounds.length === 1 && isPoint(bounds[0] as Interval);
}

export function sortScanDirection(
  index: IndexEntry,
  bounds: Interval[][],
  sort: readonly SortField[],
): 1 | -1 | undefined {
  if (sort.length === 0) return 1;
  if (index.multikey || index.longKeys) return undefined;
  let direction: 1 | -1 | undefined;
  let position = 0;
  for (const wanted of sort) {
    while (
      position < index.fields.length &&
      (index.fields[position] as IndexEntry['fields'][number]).path !== wanted.path
    ) {
      if (!pinned(bounds[position])) return undefined;
      position++;
    }
    const field = index.fields[position];
    if (field === undefined) {
      // A sort field the index lacks is fine only if it is pinned by equality elsewhere:
      // not knowable here, so the index does not provide the order.
      return undefined;
    }
    const fieldDirection = (wanted.direction * field.direction) as 1 | -1;
    if (direction !== undefined && fieldDirection !== direction && !pinned(bounds[position]))
      return undefined;
    if (!pinned(bounds[position])) direction ??= fieldDirection;
    position++;
  }
  return direction ?? 1;
}
