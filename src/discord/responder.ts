import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type MessageComponentInteraction,
  type ModalBuilder,
  type ModalSubmitInteraction,
} from 'discord.js';

export type RepliableInteraction = ChatInputCommandInteraction | MessageComponentInteraction | ModalSubmitInteraction;

/**
 * How a handler answers: `ephemeral`/`public` send a new message, `update` edits the message whose button
 * was clicked, `modal` opens a modal (which must be the first response, so it is never deferred).
 */
export type ResponseMode = 'ephemeral' | 'public' | 'update' | 'modal';

export interface ResponsePayload {
  content?: string;
  embeds?: InteractionEditReplyOptions['embeds'];
  components?: InteractionEditReplyOptions['components'];
  files?: InteractionEditReplyOptions['files'];
}

/** What the responder saw, for the operator and the benchmark: interactions already past their deadline, defers made at once. */
export const deadlineCounts = { late: 0, deferredEarly: 0 };

/** Discord drops an interaction that has no first response this long after its creation. */
export const DISCORD_DEADLINE_MS = 3000;
/** Discord wants a first response within 3 s of the interaction; past this much of it we defer and edit later. */
export const AUTO_DEFER_AFTER_MS = 1500;
/**
 * The bot counts as busy when its event loop runs this late (the automatic deferral's own timer would fire too
 * late to help)...
 */
export const BUSY_LAG_MS = 500;
/** ...or when interactions lately took this long to handle (the next one is likely to wait as long)... */
export const BUSY_HANDLING_MS = 500;
/** ...or when this many interactions are being handled at once. */
export const BUSY_IN_FLIGHT = 64;

/**
 * Time left before the automatic deferral, counted from the interaction's creation (its snowflake) rather than
 * from its arrival: under load an interaction can wait in the gateway queue, and that wait counts against 3 s.
 */
export function deferDelay(createdTimestamp: number, now: number): number {
  return deferAfterAge(now - createdTimestamp);
}

function deferAfterAge(ageMs: number): number {
  return Math.min(AUTO_DEFER_AFTER_MS, Math.max(0, AUTO_DEFER_AFTER_MS - ageMs));
}

/** How busy the bot is right now. */
export interface Load {
  /** Recent event-loop delay, ms. */
  lagMs: number;
  /** Interactions being handled, this one included. */
  inFlight: number;
  /** How long interactions lately took to handle, ms (the slowest recent one, fading by half every second). */
  handlingMs: number;
}

/**
 * What to do first with an interaction `ageMs` after its creation: `late` when its deadline has passed (no
 * response can reach the user, so no work is done for it); `defer` at once when little time is left or the bot
 * is busy, before any database work, so a slow answer is still acknowledged in time; otherwise `wait` and defer
 * automatically only if the handler is still working after `deferInMs`.
 */
export type FirstStep = { kind: 'late' } | { kind: 'defer' } | { kind: 'wait'; deferInMs: number };

export function firstStep(ageMs: number, load: Load): FirstStep {
  if (ageMs >= DISCORD_DEADLINE_MS) return { kind: 'late' };
  const deferInMs = deferAfterAge(ageMs);
  const busy = load.lagMs >= BUSY_LAG_MS || load.handlingMs >= BUSY_HANDLING_MS || load.inFlight >= BUSY_IN_FLIGHT;
  if (deferInMs === 0 || busy) return { kind: 'defer' };
  return { kind: 'wait', deferInMs };
}

/**
 * The age of an interaction, from the host's clock and Discord's (its snowflake). The two clocks can disagree:
 * a host clock running ahead would make every interaction look old and the bot answer nothing. The smallest age
 * seen lately is network delay plus that skew; anything beyond the network's own share of it is taken off.
 */
export class InteractionClock {
  /** Smallest age seen, rising 1 ms per second so that a clock corrected later is followed. */
  private floorMs: number | null = null;
  private floorAt = 0;

  constructor(private readonly networkMs = 250) {}

  age(createdTimestamp: number, now: number): number {
    const raw = now - createdTimestamp;
    const floor = this.floorMs === null ? raw : Math.min(raw, this.floorMs + (now - this.floorAt) / 1000);
    this.floorMs = floor;
    this.floorAt = now;
    const skew = Math.max(0, floor - this.networkMs);
    return raw - skew;
  }
}

/**
 * How busy the bot is: the event-loop delay of this thread, sampled every 20 ms (recent delays count, old ones
 * fade within a second), the interactions in flight, and how long the last ones took to handle.
 */
export class LoadGauge {
  inFlight = 0;
  private lag = 0;
  private handling = { ms: 0, at: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    let expected = performance.now() + intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lag = Math.max(now - expected, this.lag * 0.8);
      expected = now + intervalMs;
    }, intervalMs).unref();
  }

  /** An interaction's handler worked `ms` before its first response. */
  handled(ms: number, at = performance.now()): void {
    this.handling = { ms: Math.max(ms, this.handlingMsAt(at)), at };
  }

  now(at = performance.now()): Load {
    return { lagMs: this.lag, inFlight: this.inFlight, handlingMs: this.handlingMsAt(at) };
  }

  private handlingMsAt(at: number): number {
    return this.handling.ms * 0.5 ** ((at - this.handling.at) / 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The one way a handler responds to an interaction. It defers automatically when the handler is slow,
 * and then turns the response into an edit, so every interaction is acknowledged exactly once, in time.
 */
export class Responder {
  private acknowledged: Promise<unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = performance.now();
  private readyAt: number | null = null;

  /** `step` is what `firstStep` decided; by default, the automatic deferral counted from the interaction's creation. */
  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly mode: ResponseMode,
    step: FirstStep = { kind: 'wait', deferInMs: deferDelay(interaction.createdTimestamp, Date.now()) },
  ) {
    if (mode === 'modal' || step.kind === 'late') return;
    if (step.kind === 'defer') {
      deadlineCounts.deferredEarly += 1;
      this.deferNow();
    } else this.timer = setTimeout(() => this.deferNow(), step.deferInMs);
  }

  /** The main response: a reply, or an in-place update of the clicked message. */
  async send(payload: ResponsePayload): Promise<void> {
    this.ready();
    if (this.acknowledged) {
      await this.acknowledged;
      await this.interaction.editReply(payload);
      return;
    }
    this.acknowledged = this.firstResponse(payload);
    await this.acknowledged;
  }

  /** Acknowledge now, before slow work (drawing a chart): the response becomes an edit of the deferral. */
  defer(): void {
    this.ready();
    this.deferNow();
  }

  async showModal(modal: ModalBuilder): Promise<void> {
    this.ready();
    if (this.acknowledged || !('showModal' in this.interaction)) throw new Error('a modal must be the first response');
    this.acknowledged = this.interaction.showModal(modal);
    await this.acknowledged;
  }

  /** A message only the user sees, whatever has been sent before: the reply, or a follow-up to it. */
  async sendEphemeral(message: string | ResponsePayload): Promise<void> {
    this.ready();
    const payload = typeof message === 'string' ? { content: message } : message;
    if (!this.acknowledged) {
      this.acknowledged = this.interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      await this.acknowledged;
      return;
    }
    await this.acknowledged.catch(() => undefined);
    const deferredOnly = this.interaction.deferred && !this.interaction.replied;
    if (this.mode === 'ephemeral' && deferredOnly) {
      await this.interaction.editReply({ embeds: [], components: [], ...payload });
    } else if (this.mode === 'public' && deferredOnly) {
      // The deferral of a public reply shows to everyone: remove it, so the message stays the user's own.
      await this.interaction.deleteReply().catch(() => undefined);
      await this.interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    } else {
      await this.interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    }
  }

  dispose(): void {
    this.stopTimer();
  }

  /**
   * How long the handler worked before its first response (its database work, not Discord's answer to it):
   * what the next interactions are likely to wait (LoadGauge.handled).
   */
  get workMs(): number {
    return (this.readyAt ?? performance.now()) - this.startedAt;
  }

  private ready(): void {
    this.readyAt ??= performance.now();
    this.stopTimer();
  }

  private firstResponse(payload: ResponsePayload): Promise<unknown> {
    const interaction = this.interaction;
    if (this.mode === 'update' && interaction.isMessageComponent()) return interaction.update(payload);
    if (this.mode === 'update' && interaction.isModalSubmit() && interaction.isFromMessage())
      return interaction.update(payload);
    const flags = this.mode === 'public' ? undefined : MessageFlags.Ephemeral;
    return interaction.reply({ ...payload, flags });
  }

  private deferNow(): void {
    if (this.acknowledged) return;
    const interaction = this.interaction;
    const updatesMessage =
      this.mode === 'update' &&
      (interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage()));
    this.acknowledged = updatesMessage
      ? (interaction as ButtonInteraction).deferUpdate()
      : interaction.deferReply(this.mode === 'public' ? {} : { flags: MessageFlags.Ephemeral });
    this.acknowledged.catch(() => undefined);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
