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

/** Discord wants a first response within 3 s of the interaction; past this much of it we defer and edit later. */
export const AUTO_DEFER_AFTER_MS = 1500;

/**
 * Time left before the automatic deferral, counted from the interaction's creation (its snowflake) rather than
 * from its arrival: under load an interaction can wait in the gateway queue, and that wait counts against 3 s.
 */
export function deferDelay(createdTimestamp: number, now: number): number {
  return Math.min(AUTO_DEFER_AFTER_MS, Math.max(0, createdTimestamp + AUTO_DEFER_AFTER_MS - now));
}

/**
 * The one way a handler responds to an interaction. It defers automatically when the handler is slow,
 * and then turns the response into an edit, so every interaction is acknowledged exactly once, in time.
 */
export class Responder {
  private acknowledged: Promise<unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly mode: ResponseMode,
  ) {
    if (mode !== 'modal') this.timer = setTimeout(() => this.deferNow(), deferDelay(interaction.createdTimestamp, Date.now()));
  }

  /** The main response: a reply, or an in-place update of the clicked message. */
  async send(payload: ResponsePayload): Promise<void> {
    this.stopTimer();
    if (this.acknowledged) {
      await this.acknowledged;
      await this.interaction.editReply(payload);
      return;
    }
    this.acknowledged = this.firstResponse(payload);
    await this.acknowledged;
  }

  async showModal(modal: ModalBuilder): Promise<void> {
    this.stopTimer();
    if (this.acknowledged || !('showModal' in this.interaction)) throw new Error('a modal must be the first response');
    this.acknowledged = this.interaction.showModal(modal);
    await this.acknowledged;
  }

  /** A message only the user sees, whatever has been sent before: the reply, or a follow-up to it. */
  async sendEphemeral(message: string | ResponsePayload): Promise<void> {
    this.stopTimer();
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

  private firstResponse(payload: ResponsePayload): Promise<unknown> {
    const interaction = this.interaction;
    if (this.mode === 'update' && interaction.isMessageComponent()) return interaction.update(payload);
    if (this.mode === 'update' && interaction.isModalSubmit() && interaction.isFromMessage()) return interaction.update(payload);
    const flags = this.mode === 'public' ? undefined : MessageFlags.Ephemeral;
    return interaction.reply({ ...payload, flags });
  }

  private deferNow(): void {
    if (this.acknowledged) return;
    const interaction = this.interaction;
    const updatesMessage = this.mode === 'update' && (interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage()));
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
