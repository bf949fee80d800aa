/**
 * shutdown: only from a loopback client, as with mongod without auth. The reply is sent
 * before the process stops (mongod closes the connection instead; drivers accept both).
 */
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandSpec } from '../context.js';

function isLoopback(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':'));
  return (
    host === '127.0.0.1' || host === '::1' || host === '::ffff:127.0.0.1' || host.startsWith('127.')
  );
}

export const shutdownCommand: CommandSpec = {
  name: 'shutdown',
  adminOnly: true,
  help: 'Shuts the server down (only from localhost).',
  handler: ({ server, connection }) => {
    if (!isLoopback(connection.remoteAddress)) {
      throw new MongoError(
        'Unauthorized',
        'shutdown must run from localhost when running db without auth',
      );
    }
    server.log.info('COMMAND', 4695400, 'Terminating via shutdown command', { force: false });
    // Let the reply go out first; the process exits once storage is closed.
    setImmediate(() => void server.shutdown('shutdown command'));
    return { ok: 1 };
  },
};
