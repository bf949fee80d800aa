/**
 * Which top-level fields a filter or an aggregation expression reads (MongoDB's
 * DepsTracker), so scans decode only those. `undefined` means the whole document:
 * $$ROOT/$$CURRENT, $where, $jsonSchema, or anything not understood.
 */
import type { BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import type { FilterNode } from './filter/index.js';

export type Fields = Set<string>;

function topLevel(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

/** Adds the fields an expression reads; false when it may read the whole document. */
export function addExpressionFields(expression: BsonValue, fields: Fields): boolean {
  if (typeof expression === 'string') {
    if (!expression.startsWith('$')) return true;
    if (!expression.startsWith('$$')) {
      fields.add(topLevel(expression.slice(1)));
      return true;
    }
    const variable = topLevel(expression.slice(2));
    if (variable !== 'ROOT' && variable !== 'CURRENT') return true;
    const dot = expression.indexOf('.');
    if (dot < 0) return false;
    fields.add(topLevel(expression.slice(dot + 1)));
    return true;
  }
  if (Array.isArray(expression))
    return expression.every((item) => addExpressionFields(item, fields));
  if (!isDocument(expression)) return true;
  for (const [key, value] of Object.entries(expression)) {
    if (key === '$literal') continue;
    if (!addExpressionFields(value, fields)) return false;
  }
  return true;
}

/** Adds the fields a filter reads; false when it may read the whole document. */
export function addFilterFields(node: FilterNode, fields: Fields): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return node.children.every((child) => addFilterFields(child, fields));
    case 'not':
      return addFilterFields(node.child, fields);
    case 'expr':
      return addExpressionFields(node.expression, fields);
    case 'jsonSchema':
      return false;
    case 'alwaysTrue':
    case 'alwaysFalse':
    case 'sampleRate':
      return true;
    default:
      // Paths under a value-form $elemMatch are relative ('') and read nothing more.
      if (node.path !== '') fields.add(topLevel(node.path));
      return true;
  }
}

export function filterFields(node: FilterNode): Fields | undefined {
  const fields: Fields = new Set();
  return addFilterFields(node, fields) ? fields : undefined;
}
