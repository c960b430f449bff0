/**
 * Other work on the machine, for `npm run bench -- burst --background-load N`: one separate process whose N
 * threads each keep a core busy (a spin loop), started before a timed phase and stopped after it. Real hosts
 * are rarely idle; this is how the benchmark reproduces a shared one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** The child: its main thread and N-1 worker threads spin until it is killed. */
const SPIN = 'for (;;) Math.sqrt(Math.random());';
const CHILD = `
const { Worker } = require('node:worker_threads');
for (let i = 1; i < Number(process.argv[1]); i++) new Worker(${JSON.stringify(SPIN)}, { eval: true });
process.stdout.write('spinning\\n');
${SPIN}`;

export interface BackgroundLoad {
  readonly cores: number;
  stop(): Promise<void>;
}

export async function startBackgroundLoad(cores: number): Promise<BackgroundLoad> {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD, String(cores)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Wait until it really spins, so the timed phase starts on a loaded machine.
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`background load exited early (code ${String(code)})`)));
    child.stdout!.once('data', () => resolve());
  });
  return {
    cores,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
