/**
 * Starting a server from the command line and stopping it on SIGINT/SIGTERM, shared by
 * `shoald` and `shoal start`.
 */
import { mkdirSync } from 'node:fs';
import { ShoalServer } from '../server/shoal-server.js';
import type { ServerOptions } from '../server/server-options.js';

export async function runServer(
  options: ServerOptions,
  onListening?: (port: number) => void,
): Promise<void> {
  if (options.storageEngine === 'wiredTiger') mkdirSync(options.dbPath, { recursive: true });
  const server = new ShoalServer(options);
  for (const [name, text] of Object.entries(options.setParameters))
    server.setParameterFromText(name, text);
  const stop = (signal: string): void => {
    server.log.info('CONTROL', 23377, 'Received signal', { signal }, 'SignalHandler');
    void server.shutdown(signal);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const port = await server.listen();
  onListening?.(port);
  await server.whenStopped();
}
