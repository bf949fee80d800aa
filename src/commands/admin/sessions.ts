/**
 * Logical sessions. Shoal keeps no per-session server state on a standalone beyond the
 * cursors opened in a session, so ending or killing a session kills those cursors.
 */
import { Binary, Int32 } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import type { CommandSpec } from '../context.js';
import { logicalSessionTimeoutMinutes } from './hello.js';

export function sessionKey(lsid: BsonValue | undefined): string | undefined {
  if (!isDocument(lsid) || !(lsid.id instanceof Binary)) return undefined;
  return Buffer.from(lsid.id.buffer.subarray(0, lsid.id.position)).toString('hex');
}

function killSessionsIn(list: BsonValue, kill: (key: string) => void): void {
  if (!Array.isArray(list)) return;
  for (const lsid of list) {
    const key = sessionKey(lsid);
    if (key !== undefined) kill(key);
  }
}

export const startSessionCommand: CommandSpec = {
  name: 'startSession',
  help: 'Starts a logical session and returns its id.',
  handler: ({ server }) => ({
    id: { id: new Binary(server.random.bytes(16), Binary.SUBTYPE_UUID) },
    timeoutMinutes: new Int32(logicalSessionTimeoutMinutes),
    ok: 1,
  }),
};

function endSessionsHandler(field: string): CommandSpec['handler'] {
  return ({ server, request }) => {
    killSessionsIn(request.body[field], (key) =>
      server.cursors.killWhere((cursor) => cursor.sessionId === key),
    );
    return { ok: 1 };
  };
}

export const endSessionsCommand: CommandSpec = {
  name: 'endSessions',
  help: 'Ends logical sessions, closing their cursors.',
  handler: endSessionsHandler('endSessions'),
};

export const killSessionsCommand: CommandSpec = {
  name: 'killSessions',
  help: 'Kills logical sessions and their operations and cursors.',
  handler: endSessionsHandler('killSessions'),
};

export const refreshSessionsCommand: CommandSpec = {
  name: 'refreshSessions',
  help: 'Keeps logical sessions alive.',
  handler: () => ({ ok: 1 }),
};

export const killAllSessionsCommand: CommandSpec = {
  name: 'killAllSessions',
  help: 'Kills every logical session (for the given users, or all).',
  handler: ({ server }) => {
    server.cursors.killWhere((cursor) => cursor.sessionId !== undefined);
    return { ok: 1 };
  },
};

export const killAllSessionsByPatternCommand: CommandSpec = {
  name: 'killAllSessionsByPattern',
  help: 'Kills logical sessions matching patterns.',
  handler: ({ server, request }) => {
    const patterns = request.body.killAllSessionsByPattern;
    const ids = new Set<string>();
    if (Array.isArray(patterns)) {
      for (const pattern of patterns) {
        const key = isDocument(pattern) ? sessionKey(pattern.lsid) : undefined;
        if (key !== undefined) ids.add(key);
      }
    }
    server.cursors.killWhere(
      (cursor) => cursor.sessionId !== undefined && (ids.size === 0 || ids.has(cursor.sessionId)),
    );
    return { ok: 1 };
  },
};
