/**
 * $currentDate (current_date_node.cpp): `true`/`false` or {$type: 'date'} store the
 * update's Date; {$type: 'timestamp'} its Timestamp. It always counts as a change.
 */
import type { BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import type { Modifier, ModifierTarget } from '../modifier.js';

export function currentDateModifier(value: BsonValue): Modifier {
  const isDate = parseType(value);
  const now = (target: ModifierTarget): BsonValue =>
    isDate ? target.doc.settings.now : target.doc.settings.nowTimestamp;
  return {
    allowCreation: true,
    updateExisting: (_current, target) => now(target),
    valueForNew: now,
  };
}

function parseType(value: BsonValue): boolean {
  if (typeof value === 'boolean') return true;
  if (!isDocument(value)) {
    throw new MongoError(
      'BadValue',
      `${bsonTypeName(bsonTypeOf(value))} is not valid type for $currentDate. Please use a ` +
        "boolean ('true') or a $type expression ({$type: 'timestamp/date'}).",
    );
  }
  let isDate: boolean | undefined;
  for (const [name, option] of Object.entries(value)) {
    if (name !== '$type') {
      throw new MongoError('BadValue', `Unrecognized $currentDate option: ${name}`);
    }
    if (option === 'date') isDate = true;
    else if (option === 'timestamp') isDate = false;
  }
  if (isDate === undefined) {
    throw new MongoError(
      'BadValue',
      "The '$type' string field is required to be 'date' or 'timestamp': " +
        "{$currentDate: {field : {$type: 'date'}}}",
    );
  }
  return isDate;
}
