/**
 * Runs the real bot (src/main.ts) under the V8 CPU profiler and writes a .cpuprofile into BENCH_PROFILE_DIR
 * when it exits. A wrapper because Node refuses --cpu-prof in NODE_OPTIONS and startBot() owns the command line.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (!dir) throw new Error('BENCH_PROFILE_DIR is not set');
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
await import('../src/main.ts');
