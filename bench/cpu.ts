/**
 * CPU time of the server process and of this one over the measured window, so a reader can
 * tell which side a rate is bound by: on a small machine the driver serializing a batch can
 * saturate a core before shoald does.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User plus system CPU milliseconds of process `pid` (Linux /proc), or undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond();
}

export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface CpuShares {
  /** Busy fraction of one core over the window (1.0 = one core saturated). */
  server: number | undefined;
  bench: number;
}

/** Starts a CPU window; the returned function ends it and gives each side's share. */
export function cpuWindow(serverPid: number | undefined, clockMs: () => number): () => CpuShares {
  const server = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const bench = ownCpuMs();
  const start = clockMs();
  return () => {
    const elapsed = clockMs() - start;
    const serverEnd = serverPid === undefined ? undefined : processCpuMs(serverPid);
    return {
      server:
        server === undefined || serverEnd === undefined
          ? undefined
          : (serverEnd - server) / elapsed,
      bench: (ownCpuMs() - bench) / elapsed,
    };
  };
}
