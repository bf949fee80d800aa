/**
 * Loaded into the shoald process with `--import` when `run.js --profile DIR` is given (Node
 * refuses --cpu-prof in NODE_OPTIONS). Profiles the whole process and writes
 * DIR/shoald-<pid>.cpuprofile on exit, which Chrome DevTools and speedscope open.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { Profiler } from 'node:inspector';
import { join } from 'node:path';

const directory = process.env.SHOAL_BENCH_PROFILE_DIR;
if (directory !== undefined) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // A same-thread session answers synchronously, so the profile is written before exit.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result: Profiler.StopReturnType) => {
      if (error === null)
        writeFileSync(
          join(directory, `shoald-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
