import type { Logger } from './logger.ts';

/** What the bot's exit status tells a supervisor (systemd, Docker, a shell): documented in the README. */
export const EXIT = {
  /** Stopped on SIGINT or SIGTERM after closing Discord and the database. */
  stopped: 0,
  /** Failed in a way a restart may fix (the database or Discord unreachable, an unexpected error). */
  failed: 1,
  /** Stopped before shutdown finished: a third signal, or shutdown took too long. */
  forced: 2,
  /** A person must change something first (a setting, the token, DATA_DIR, a second bot running): EX_CONFIG. */
  needsOperator: 78,
} as const;

/** Copies of one signal (the process group's, then the one npm or tsx relays) arrive within this window. */
const SAME_SIGNAL_WINDOW_MS = 1_000;
const SHUTDOWN_LIMIT_MS = 30_000;
const PARENT_CHECK_INTERVAL_MS = 500;

/**
 * Shutdown that survives repeated signals. Ctrl-C in a terminal, systemd and `docker stop` through a shell
 * signal the whole process group, and npm relays the signal to the bot again: those copies are one request.
 * A second request only says shutdown is under way; a third forces the exit, as does a shutdown that hangs.
 * Steps run in reverse order of registration, each at most once, however the stop was asked for.
 */
export class Lifecycle {
  readonly #steps: { name: string; close: () => Promise<void> | void }[] = [];
  #stopping: Promise<never> | null = null;
  #requests = 0;
  #lastSignalAt = 0;

  constructor(private readonly logger: Logger) {}

  /** Something to close at shutdown: added as it comes into existence, closed last-added first. */
  onStop(name: string, close: () => Promise<void> | void): void {
    this.#steps.push({ name, close });
  }

  get stopping(): boolean {
    return this.#stopping !== null;
  }

  handleSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => this.#onSignal(signal));
    // Under `npm start`, a SIGTERM to npm alone (`docker stop`) ends npm without passing it on: stop with it.
    if (process.env.npm_lifecycle_event?.startsWith('start')) {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent && !this.stopping)
          void this.stop(EXIT.stopped, 'npm, which started the bot, has ended');
      }, PARENT_CHECK_INTERVAL_MS).unref();
    }
  }

  /** Closes everything in order and exits with `code`; a second call waits for the first. */
  stop(code: number, reason: string): Promise<never> {
    this.#stopping ??= this.#run(code, reason);
    return this.#stopping;
  }

  #onSignal(signal: NodeJS.Signals): void {
    const now = Date.now();
    // Measured from the last signal that counted, so quick presses cannot keep pushing the window on.
    if (now - this.#lastSignalAt < SAME_SIGNAL_WINDOW_MS) return;
    this.#lastSignalAt = now;
    this.#requests += 1;
    if (this.#requests === 1) void this.stop(EXIT.stopped, signal);
    else if (this.#requests === 2)
      this.logger.warn(
        { signal },
        'still stopping (closing Discord and the database); send the signal once more to force the exit',
      );
    else
      this.#exit(
        EXIT.forced,
        `forced to exit by ${signal} before shutdown finished; the database recovers at the next start`,
      );
  }

  async #run(code: number, reason: string): Promise<never> {
    this.logger.info({ reason }, 'stopping');
    const limit = setTimeout(
      () => this.#exit(EXIT.forced, `shutdown did not finish within ${SHUTDOWN_LIMIT_MS / 1000} s; exiting`),
      SHUTDOWN_LIMIT_MS,
    );
    limit.unref();
    for (const step of this.#steps.reverse()) {
      try {
        await step.close();
      } catch (error) {
        this.logger.warn({ err: error, step: step.name }, 'could not close cleanly');
      }
    }
    clearTimeout(limit);
    this.logger.info({ code }, 'stopped');
    return this.#exit(code);
  }

  #exit(code: number, message?: string): never {
    if (message) this.logger.error({ code }, message);
    // pino writes synchronously to stdout, so the last line is out before the process ends.
    process.exit(code);
  }
}
