/**
 * Starts a real shoald process for a test, the way mongodb-runner does: --port 0, then
 * read the port from the "Waiting for connections" log line (id 23016).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
export const shoaldPath = join(repositoryRoot, 'dist', 'src', 'cli', 'shoald.js');

export interface ServerProcess {
  port: number;
  uri: string;
  dbPath: string;
  child: ChildProcess;
  logLines: string[];
  /** Graceful stop (SIGTERM), waiting for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, waiting for exit. */
  kill(): Promise<void>;
  /** Removes the data directory (after stop/kill). */
  cleanup(): void;
}

export interface StartOptions {
  dbPath?: string;
  args?: string[];
  inMemory?: boolean;
  startupTimeoutMs?: number;
}

export function temporaryDirectory(prefix = 'shoal-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dbPath = options.dbPath ?? temporaryDirectory();
  const args = [
    '--port',
    '0',
    '--dbpath',
    dbPath,
    ...(options.inMemory ? ['--storageEngine', 'inMemory'] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, [shoaldPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`shoald did not start: ${logLines.join('\n')}`)),
      options.startupTimeoutMs ?? 15000,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      logLines.push(line);
      try {
        const entry = JSON.parse(line) as { id?: number; attr?: { port?: number } };
        if (entry.id === 23016 && entry.attr?.port !== undefined) {
          clearTimeout(timer);
          resolve(entry.attr.port);
        }
      } catch {
        // Not a log line; keep it for diagnostics.
      }
    });
    child.stderr.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`shoald exited with ${code}: ${logLines.join('\n')}`));
    });
  });
  return {
    port,
    uri: `mongodb://127.0.0.1:${port}/`,
    dbPath,
    child,
    logLines,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup() {
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}
