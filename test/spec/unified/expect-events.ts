/**
 * expectEvents: each client's observed events, in order, against the expected list (spec:
 * expectedEventsForClient, expectedEvent). Commands and replies are root-level documents.
 */
import type { Document } from 'mongodb';
import { bsonTag, describeValue } from './bson-values.js';
import type { CapturedEvent } from './client-entity.js';
import type { EntityMap } from './entities.js';
import { assertMatches, MatchError } from './match.js';
import type { ExpectedEventsForClient } from './schema.js';

function check(condition: boolean, path: string, message: string): void {
  if (!condition) throw new MatchError(`${path}: ${message}`);
}

function matchWithPath(
  expected: unknown,
  actual: unknown,
  entities: EntityMap,
  path: string,
): void {
  try {
    assertMatches(expected, actual, entities);
  } catch (error) {
    if (error instanceof MatchError) throw new MatchError(`${path}.${error.message}`);
    throw error;
  }
}

function hasServiceId(event: Record<string, unknown>): boolean {
  const serviceId = event['serviceId'];
  return (
    bsonTag(serviceId) === 'ObjectId' &&
    (serviceId as { toHexString(): string }).toHexString() !== '0'.repeat(24)
  );
}

function checkCommandFields(
  expected: Document,
  event: Record<string, unknown>,
  path: string,
): void {
  if (expected['commandName'] !== undefined) {
    check(
      event['commandName'] === expected['commandName'],
      path,
      `expected command ${expected['commandName']}, got ${String(event['commandName'])}`,
    );
  }
  if (expected['databaseName'] !== undefined) {
    check(
      event['databaseName'] === expected['databaseName'],
      path,
      `expected database ${expected['databaseName']}, got ${String(event['databaseName'])}`,
    );
  }
  if (expected['hasServiceId'] !== undefined) {
    check(
      hasServiceId(event) === expected['hasServiceId'],
      path,
      `hasServiceId: ${String(expected['hasServiceId'])}`,
    );
  }
  if (expected['hasServerConnectionId'] !== undefined) {
    const id = event['serverConnectionId'];
    const has = (typeof id === 'bigint' || typeof id === 'number') && id > 0;
    check(
      has === expected['hasServerConnectionId'],
      path,
      `hasServerConnectionId: ${String(expected['hasServerConnectionId'])}`,
    );
  }
}

function checkDescriptionTypes(
  expected: Document,
  event: Record<string, unknown>,
  path: string,
): void {
  for (const side of ['previousDescription', 'newDescription']) {
    const wanted = (expected[side] as Document | undefined)?.['type'];
    if (wanted === undefined) continue;
    const actual = (event[side] as { type?: unknown } | undefined)?.type;
    check(
      actual === wanted,
      `${path}.${side}`,
      `expected type ${String(wanted)}, got ${String(actual)}`,
    );
  }
}

/** One expected event against one observed event; throws MatchError on a difference. */
export function assertEvent(
  expected: Document,
  actual: CapturedEvent,
  entities: EntityMap,
  path: string,
): void {
  const names = Object.keys(expected);
  check(names.length === 1, path, 'an expected event has exactly one type key');
  const name = names[0]!;
  const fields = expected[name] as Document;
  check(
    actual.name === name,
    path,
    `expected ${name}, got ${actual.name} ${describeValue(actual.event['commandName'] ?? '')}`,
  );
  const event = actual.event;
  switch (name) {
    case 'commandStartedEvent':
      if (fields['command'] !== undefined)
        matchWithPath(fields['command'], event['command'], entities, `${path}.command`);
      return checkCommandFields(fields, event, path);
    case 'commandSucceededEvent':
      if (fields['reply'] !== undefined)
        matchWithPath(fields['reply'], event['reply'], entities, `${path}.reply`);
      return checkCommandFields(fields, event, path);
    case 'commandFailedEvent':
      return checkCommandFields(fields, event, path);
    case 'serverDescriptionChangedEvent':
    case 'topologyDescriptionChangedEvent':
      return checkDescriptionTypes(fields, event, path);
    default:
      // CMAP and heartbeat events: the few scalar fields they may assert.
      for (const [field, value] of Object.entries(fields)) {
        if (field === 'hasServiceId')
          check(hasServiceId(event) === value, path, `hasServiceId: ${String(value)}`);
        else
          check(
            event[field] === value,
            `${path}.${field}`,
            `expected ${String(value)}, got ${String(event[field])}`,
          );
      }
  }
}

function eventSummary(events: CapturedEvent[]): string {
  return events
    .map((event) =>
      event.type === 'command'
        ? `${event.name}(${String(event.event['commandName'])})`
        : event.name,
    )
    .join(', ');
}

export function assertExpectedEvents(
  expectations: ExpectedEventsForClient[] | undefined,
  entities: EntityMap,
): void {
  for (const expectation of expectations ?? []) {
    const client = entities.of('client', expectation.client).value;
    const actual = client.eventsOfType(expectation.eventType ?? 'command');
    const expected = expectation.events;
    const path = `expectEvents[${expectation.client}]`;
    const countOk =
      expectation.ignoreExtraEvents === true
        ? actual.length >= expected.length
        : actual.length === expected.length;
    check(
      countOk,
      path,
      `expected ${expected.length} events, got ${actual.length}: ${eventSummary(actual)}`,
    );
    expected.forEach((event, index) =>
      assertEvent(event, actual[index]!, entities, `${path}[${index}]`),
    );
  }
}
