/** currentOp and killOp over the operations in flight. */
import { Int32, Long } from 'bson';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandSpec } from '../context.js';

export const currentOpCommand: CommandSpec = {
  name: 'currentOp',
  adminOnly: true,
  help: 'Lists operations in progress.',
  handler: ({ server }) => {
    const now = server.clock.monotonicMs();
    const inprog = [...server.operations.values()].map((operation) => {
      const connection = server.connections.get(operation.connectionId);
      const elapsedMs = now - operation.startedAtMonotonicMs;
      return {
        type: 'op',
        host: `localhost:${server.port}`,
        desc: `conn${operation.connectionId}`,
        connectionId: new Int32(operation.connectionId),
        client: connection?.remoteAddress ?? '',
        clientMetadata: connection?.clientMetadata,
        active: true,
        opid: new Int32(operation.opid),
        secs_running: Long.fromNumber(Math.floor(elapsedMs / 1000)),
        microsecs_running: Long.fromNumber(Math.floor(elapsedMs * 1000)),
        op: 'command',
        ns: operation.namespace,
        command: operation.command,
        killPending: operation.killed,
      };
    });
    return { inprog, ok: 1 };
  },
};

export const killOpCommand: CommandSpec = {
  name: 'killOp',
  adminOnly: true,
  help: 'Marks an operation as killed; it stops at its next interruption point.',
  handler: ({ server, request }) => {
    const op = request.body.op;
    if (!isNumber(op)) throw new MongoError('BadValue', 'Did not provide "op" field');
    const operation = server.operations.get(toDouble(op));
    if (operation !== undefined) operation.killed = true;
    server.log.info('COMMAND', 20482, 'Going to kill op', { opId: toDouble(op) });
    return { info: 'attempting to kill op', ok: 1 };
  },
};
