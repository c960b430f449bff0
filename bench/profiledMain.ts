/**
 * The real bot (src/main.ts) as the benchmarks run it. With BENCH_PROFILE_DIR set it runs under the V8 CPU
 * profiler and writes a .cpuprofile there when it exits (a wrapper because Node refuses --cpu-prof in
 * NODE_OPTIONS and startBot() owns the command line). With BENCH_PROBE_FILE set it reports its own
 * event-loop delay and deadline counters (bench/botProbe.ts).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { deadlineCounts } from '../src/discord/responder.ts';
import { installProbe } from './botProbe.ts';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process inspector session answers synchronously, so this works in an exit handler.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `bot-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
installProbe(() => ({ ...deadlineCounts }));
await import('../src/main.ts');
