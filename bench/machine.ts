/** What the numbers were measured on, printed with every run and copied into the docs. */
import { readFileSync, realpathSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** The filesystem holding `directory`: device, type and mount point (Linux), or unknown. */
  disk: string;
}

export function describeMachine(directory: string): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    disk: describeFilesystem(directory),
  };
}

function describeFilesystem(directory: string): string {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return 'unknown';
  }
  const path = realpathSync(directory);
  let best: { device: string; mountPoint: string; type: string } | undefined;
  for (const line of mounts.split('\n')) {
    const [device, mountPoint, type] = line.split(' ');
    if (device === undefined || mountPoint === undefined || type === undefined) continue;
    const inside =
      path === mountPoint ||
      path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
    if (inside && mountPoint.length > (best?.mountPoint.length ?? -1))
      best = { device, mountPoint, type };
  }
  return best === undefined ? 'unknown' : `${best.device} (${best.type}) on ${best.mountPoint}`;
}
