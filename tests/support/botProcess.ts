import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
export const MAIN_ENTRY = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
/** How long a test waits for something to happen (a log line, a message, a DM): a ceiling for a hang, never a speed target. */
export const CONDITION_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 120_000;
/**
 * The ceiling of a test that starts processes (the bot, a tool), on a 2-core machine busy with other work: long
 * enough never to cut a slow but healthy run, so only a hang fails on it. Not a speed target (those are benchmarks).
 */
export const PROCESS_TEST_TIMEOUT_MS = 240_000;
const STOP_GRACE_MS = 5_000;

/**
 * Every process a test or the demo starts (the bot, a command-line tool) gets only the environment the test
 * names, plus PATH and HOME, and runs in a temporary directory: it never sees the developer's `.env` (dotenv
 * reads `./.env`), their DATABASE_URL, DATA_DIR or token, nor the project's `./data`. The directory links the
 * project's parts a bot, npm start or a tool needs (the migrations and question bank are read from the working directory).
 */
export function isolated(env: Record<string, string>): { env: Record<string, string>; cwd: string; cleanUp(): void } {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'quizbot-cwd-'));
  // npm start and the built bot also need the package, its dependencies and dist/.
  for (const part of ['drizzle', 'src', 'commands', 'package.json', 'node_modules', 'tsconfig.json', 'dist']) {
    symlinkSync(path.join(PROJECT_ROOT, part), path.join(cwd, part));
  }
  return {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? os.tmpdir(),
      TSX_TSCONFIG_PATH: TSCONFIG,
      ...env,
    },
    cwd,
    cleanUp: () => rmSync(cwd, { recursive: true, force: true }),
  };
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
  ms: number;
}

/**
 * Runs a TypeScript entry point of the project (main.ts, a CLI) to its end, isolated like the bot. Asynchronous,
 * so a local Discord in the test process keeps answering it; killed after `timeoutMs` (exit code null then).
 */
export async function runScript(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number; terminal?: boolean } = {},
): Promise<ToolResult> {
  const run = isolated(env);
  const started = Date.now();
  const command = [process.execPath, '--import', TSX_LOADER, entry, ...args];
  // `terminal`: stdout is a pseudo-terminal, as when a person runs `npm start` (util-linux `script`).
  const [file, ...argv] = options.terminal
    ? ['script', '-qec', command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' '), '/dev/null']
    : command;
  const child = spawn(file!, argv, { cwd: run.cwd, env: run.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? PROCESS_TEST_TIMEOUT_MS - 20_000);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr, output: `${stdout}${stderr}`, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    run.cleanUp();
  }
}

export interface StartBotOptions {
  env: Record<string, string>;
  entry?: string;
  readyTimeoutMs?: number;
  /** The log line that ends the start (default: "ready"), for a process that is meant to wait. */
  until?: RegExp;
}

export interface BotProcess {
  readonly pid: number | undefined;
  readonly logs: string[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly exited: Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  unhandledErrors(): string[];
  waitForLog(pattern: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
}

const UNHANDLED_PATTERN =
  /unhandled ?rejection|uncaught ?exception|triggerUncaughtException|^Node\.js v\d+|^\w*Error(:|\s|\[)/i;

function logLevel(line: string): number | null {
  if (!line.startsWith('{')) return null;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' ? level : null;
  } catch {
    return null;
  }
}

function isReadyLine(line: string): boolean {
  return line.includes('"msg":"ready"');
}

class SpawnedBot implements BotProcess {
  readonly logs: string[] = [];
  readonly exited: Promise<void>;
  private readonly listeners = new Set<(line: string) => void>();

  constructor(private readonly child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = once(child, 'exit').then(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  get signal(): NodeJS.Signals | null {
    return this.child.signalCode;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  unhandledErrors(): string[] {
    return this.logs.filter((line) => UNHANDLED_PATTERN.test(line) || (logLevel(line) ?? 0) >= 50);
  }

  waitForLog(pattern: RegExp | ((line: string) => boolean), timeoutMs = CONDITION_TIMEOUT_MS): Promise<string> {
    const test = typeof pattern === 'function' ? pattern : (line: string) => pattern.test(line);
    const existing = this.logs.find(test);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`bot log line ${String(pattern)} not seen within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      const listener = (line: string) => {
        if (!test(line)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(line);
      };
      this.listeners.add(listener);
      void this.exited.then(() => {
        if (!this.listeners.has(listener)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        reject(
          new Error(
            `bot exited (code ${String(this.exitCode)}, signal ${String(this.signal)}) before log line ${String(pattern)}\n${this.tail()}`,
          ),
        );
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(lines = 60): string {
    return this.logs.slice(-lines).join('\n');
  }

  private onLine(line: string): void {
    this.logs.push(line);
    // A copy: a listener may remove itself while lines are handed out.
    for (const listener of Array.from(this.listeners)) listener(line);
  }
}

export async function startBot(options: StartBotOptions): Promise<BotProcess> {
  const run = isolated(options.env);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, options.entry ?? MAIN_ENTRY], {
    cwd: run.cwd,
    env: run.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const bot = new SpawnedBot(child);
  void bot.exited.then(() => run.cleanUp());
  try {
    await bot.waitForLog(options.until ?? isReadyLine, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await bot.kill();
    throw error;
  }
  return bot;
}
