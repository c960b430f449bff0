import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isolated } from './botProcess.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A command started the way a terminal or a service manager starts it: in a process group of its own, so
 * that a signal can go to the whole group (Ctrl-C, systemd's default kill mode) or to its first process only
 * (`docker stop` on the container's command).
 */
export class ProcessGroup {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /**
   * Runs in a temporary directory that links the project's parts, with only the environment given (plus PATH and
   * HOME): like every process a test starts, it never reads the developer's `.env`, DATABASE_URL or token.
   * `inProject` runs in the project itself, for a build.
   */
  constructor(command: string, args: string[], env: Record<string, string>, options: { inProject?: boolean } = {}) {
    const run = options.inProject
      ? {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
          cleanUp() {},
        }
      : isolated(env);
    this.child = spawn(command, args, {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!])
      createInterface({ input: stream }).on('line', (line) => this.lines.push(line));
    this.exited = once(this.child, 'close').then(([code, signal]) => {
      run.cleanUp();
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The bot's own pid, from its "starting" log line (npm and sh stand between it and the group's leader). */
  botPid(): number | null {
    const line = this.lines.find((entry) => entry.includes('"msg":"starting"'));
    return line ? (JSON.parse(line) as { pid: number }).pid : null;
  }

  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  signalLeader(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  async waitForLine(pattern: RegExp, timeoutMs = 150_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no line ${pattern} within ${timeoutMs} ms:\n${this.lines.slice(-30).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills whatever is left of the group (after a failed test). */
  killAll(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** True while `pid` runs: a zombie (ended, not yet reaped by whoever adopted it) counts as ended. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Waits until `pid` has ended (the last log line comes a moment before the process is gone). */
export async function ended(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
