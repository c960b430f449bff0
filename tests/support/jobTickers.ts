import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isolated, TSX_LOADER } from './botProcess.ts';

const TICKER_ENTRY = fileURLToPath(new URL('./jobTicker.ts', import.meta.url));

/** One job process (tests/support/jobTicker.ts), driven tick by tick. */
export class JobTicker {
  /** What the process wrote to stderr: its warnings and errors. */
  readonly stderr: string[] = [];
  private readonly lines: ReturnType<typeof createInterface>;
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! });
    createInterface({ input: child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = once(child, 'close');
  }

  /** Starts the process, and waits until it is connected to the database and the local Discord. */
  static async start(env: { databaseUrl: string; apiUrl: string; token: string }, timeoutMs: number) {
    const run = isolated({ JOB_DATABASE_URL: env.databaseUrl, DISCORD_API_URL: env.apiUrl, DISCORD_TOKEN: env.token });
    const child = spawn(process.execPath, ['--import', TSX_LOADER, TICKER_ENTRY], {
      cwd: run.cwd,
      env: run.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.once('close', () => run.cleanUp());
    const ticker = new JobTicker(child);
    await ticker.waitForLine('ready', timeoutMs);
    return ticker;
  }

  /** Sends the tick; resolves at its end. */
  tick(at: Date, timeoutMs: number): Promise<void> {
    const instant = at.toISOString();
    // Listening before writing, so a fast answer is not missed.
    const done = this.waitForLine(`done ${instant}`, timeoutMs);
    this.child.stdin!.write(`tick ${instant}\n`);
    return done;
  }

  /** Ends its input, which ends the process; one that does not end within `graceMs` is killed. */
  async stop(graceMs = 10_000): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Waits for the process to write `expected` on stdout; fails at once if it exits, after `timeoutMs` if it hangs. */
  private waitForLine(expected: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.lines.off('line', onLine);
        this.child.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onLine = (line: string) => line === expected && finish();
      const onClose = () => finish(this.failure());
      const timer = setTimeout(
        () => finish(new Error(`no "${expected}" from a job process in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.lines.on('line', onLine);
      this.child.once('close', onClose);
    });
  }

  private failure(): Error {
    return new Error(`the job process exited (${this.child.exitCode}): ${this.stderr.join('\n')}`);
  }
}

/** Every process ticks at the same instant; resolves when all of them are done with it. */
export async function tickTogether(tickers: JobTicker[], at: Date, timeoutMs: number): Promise<void> {
  await Promise.all(tickers.map((ticker) => ticker.tick(at, timeoutMs)));
}
