import {
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionType,
  MessageType,
} from 'discord-api-types/v10';
import { messagePayload } from '../state/apiPayloads.ts';
import { findButton, findSelect, type ComponentSelector } from './componentLookup.ts';
import { resolveInvocation, type OptionValue } from './commandOptions.ts';
import { dispatchInteraction } from './interactionDispatch.ts';
import { EPHEMERAL_FLAG } from '../validation/messageValidation.ts';
import { forgedModalSubmitData, modalSubmitData, modalValues, sourceMessageExtra } from './modalSubmission.ts';
import { nextSnowflake } from '../state/snowflakes.ts';
import type { FakeContext } from '../context.ts';
import type { InteractionResult } from './interactionResult.ts';
import type { AutocompleteChoice, FakeMessage, FakeRole, FakeUser, JsonObject, ShownModal } from '../state/model.ts';

export interface RunOptions {
  channelId?: string;
  ignoreDefaultMemberPermissions?: boolean;
}

export interface ForgeOptions {
  componentType?: number;
  values?: string[];
  channelId?: string;
  /** Sent from the user's direct messages with the bot (which must have written to them there). */
  inDms?: boolean;
}

export class Actor {
  constructor(
    private readonly context: FakeContext,
    readonly user: FakeUser,
    readonly guildId: string,
    private readonly defaultChannelId: () => string,
    private readonly onRolesChanged: (actor: Actor) => void,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get name(): string {
    return this.user.globalName;
  }

  get mention(): string {
    return `<@${this.user.id}>`;
  }

  get lastModal(): ShownModal | undefined {
    return this.context.store.lastModalByUser.get(this.user.id);
  }

  get roleIds(): string[] {
    return [...(this.context.store.member(this.guildId, this.user.id)?.roleIds ?? [])];
  }

  addRole(role: FakeRole): void {
    const member = this.context.store.member(this.guildId, this.user.id);
    if (!member || member.roleIds.includes(role.id)) return;
    member.roleIds.push(role.id);
    this.onRolesChanged(this);
  }

  removeRole(role: FakeRole): void {
    const member = this.context.store.member(this.guildId, this.user.id);
    if (!member) return;
    member.roleIds = member.roleIds.filter((id) => id !== role.id);
    this.onRolesChanged(this);
  }

  async run(
    commandLine: string,
    options: Record<string, OptionValue> = {},
    runOptions: RunOptions = {},
  ): Promise<InteractionResult> {
    const invocation = resolveInvocation(this.context, {
      guildId: this.guildId,
      userId: this.user.id,
      commandLine,
      values: options,
      ignoreDefaultMemberPermissions: runOptions.ignoreDefaultMemberPermissions,
    });
    const { command } = invocation;
    return this.dispatch(
      InteractionType.ApplicationCommand,
      runOptions.channelId ?? this.defaultChannelId(),
      null,
      `/${commandLine}`,
      {
        id: command.id,
        name: command.definition.name,
        type: ApplicationCommandType.ChatInput,
        ...(command.guildId ? { guild_id: command.guildId } : {}),
        options: invocation.options,
        ...(invocation.resolved ? { resolved: invocation.resolved } : {}),
      },
    );
  }

  async autocomplete(
    commandLine: string,
    options: Record<string, OptionValue>,
    focused: string,
    runOptions: RunOptions = {},
  ): Promise<AutocompleteChoice[]> {
    const invocation = resolveInvocation(this.context, {
      guildId: this.guildId,
      userId: this.user.id,
      commandLine,
      values: options,
      focused,
      ignoreDefaultMemberPermissions: runOptions.ignoreDefaultMemberPermissions,
    });
    const { command } = invocation;
    const result = await this.dispatch(
      InteractionType.ApplicationCommandAutocomplete,
      runOptions.channelId ?? this.defaultChannelId(),
      null,
      `/${commandLine} (autocomplete ${focused})`,
      {
        id: command.id,
        name: command.definition.name,
        type: ApplicationCommandType.ChatInput,
        ...(command.guildId ? { guild_id: command.guildId } : {}),
        options: invocation.options,
      },
    );
    return result.choices ?? [];
  }

  async click(message: FakeMessage, button: ComponentSelector): Promise<InteractionResult> {
    const current = this.visibleMessage(message);
    const component = findButton(current, button);
    return this.dispatchComponent(
      current,
      { custom_id: component.custom_id, component_type: ComponentType.Button },
      `click "${String(component.label ?? component.custom_id)}"`,
    );
  }

  async select(message: FakeMessage, customId: string, values: string[]): Promise<InteractionResult> {
    const current = this.visibleMessage(message);
    const component = findSelect(current, customId, values);
    return this.dispatchComponent(
      current,
      { custom_id: customId, component_type: component.type, values },
      `select "${customId}"`,
    );
  }

  async submitModal(values: Record<string, string> | string): Promise<InteractionResult> {
    const modal = this.lastModal;
    if (!modal) throw new Error(`${this.name} has no open modal to submit`);
    const data = modalSubmitData(modal, modalValues(modal, values));
    this.context.store.lastModalByUser.delete(this.user.id);
    return this.dispatch(
      InteractionType.ModalSubmit,
      modal.channelId,
      modal.sourceMessageId,
      `submit modal "${modal.customId}"`,
      data,
      sourceMessageExtra(this.context, modal.sourceMessageId),
      modal.guildId,
    );
  }

  dismissModal(): void {
    this.context.store.lastModalByUser.delete(this.user.id);
  }

  async forgeComponentInteraction(
    message: FakeMessage | null,
    customId: string,
    options: ForgeOptions = {},
  ): Promise<InteractionResult> {
    const dmChannelId = options.inDms ? this.context.store.dmChannelByUser.get(this.user.id) : undefined;
    if (options.inDms && !dmChannelId) throw new Error(`${this.name} has no DMs with the bot yet`);
    const target =
      message ??
      this.forgedCarrierMessage(
        customId,
        dmChannelId ?? options.channelId ?? this.defaultChannelId(),
        dmChannelId ? null : this.guildId,
      );
    const componentType = options.componentType ?? 2;
    return this.dispatchComponent(
      target,
      {
        custom_id: customId,
        component_type: componentType,
        ...(componentType === 2 ? {} : { values: options.values ?? [] }),
      },
      `forged component "${customId}"`,
      dmChannelId ? null : this.guildId,
    );
  }

  async forgeModalSubmit(
    customId: string,
    values: Record<string, string>,
    options: { message?: FakeMessage; channelId?: string } = {},
  ): Promise<InteractionResult> {
    const channelId = options.message?.channelId ?? options.channelId ?? this.defaultChannelId();
    const sourceId = options.message?.id ?? null;
    return this.dispatch(
      InteractionType.ModalSubmit,
      channelId,
      sourceId,
      `forged modal "${customId}"`,
      forgedModalSubmitData(customId, values),
      sourceMessageExtra(this.context, sourceId),
    );
  }

  dms(): FakeMessage[] {
    const channelId = this.context.store.dmChannelByUser.get(this.user.id);
    return channelId ? this.context.store.channelMessages(channelId) : [];
  }

  /** A click in the user's direct messages with the bot (a button on a message the bot sent them there). */
  async clickInDms(message: FakeMessage, button: ComponentSelector): Promise<InteractionResult> {
    const current = this.context.store.messages.get(message.id);
    if (!current || current.deleted)
      throw new Error(`message ${message.id} does not exist (never sent by the bot, or deleted)`);
    if (current.channelId !== this.context.store.dmChannelByUser.get(this.user.id))
      throw new Error(`message ${message.id} is not in ${this.name}'s DMs`);
    const component = findButton(current, button);
    return this.dispatchComponent(
      current,
      { custom_id: component.custom_id, component_type: ComponentType.Button },
      `click "${String(component.label ?? component.custom_id)}" in DMs`,
      null,
    );
  }

  private dispatchComponent(
    message: FakeMessage,
    data: JsonObject,
    label: string,
    guildId: string | null = this.guildId,
  ): Promise<InteractionResult> {
    return this.dispatch(
      InteractionType.MessageComponent,
      message.channelId,
      message.id,
      label,
      data,
      { message: messagePayload(this.context.store, message) },
      guildId,
    );
  }

  private dispatch(
    type: number,
    channelId: string,
    sourceMessageId: string | null,
    label: string,
    data: JsonObject,
    extra: JsonObject = {},
    guildId: string | null = this.guildId,
  ): Promise<InteractionResult> {
    return dispatchInteraction(this.context, {
      type,
      userId: this.user.id,
      guildId,
      channelId,
      sourceMessageId,
      data,
      extra,
      label: `${this.name}: ${label}`,
    });
  }

  private visibleMessage(message: FakeMessage): FakeMessage {
    const current = this.context.store.messages.get(message.id);
    if (!current || current.deleted)
      throw new Error(`message ${message.id} does not exist (never sent by the bot, or deleted)`);
    if (current.guildId === null) throw new Error(`message ${message.id} is in a DM; use clickInDms`);
    if (current.guildId !== this.guildId)
      throw new Error(`message ${message.id} is in another guild than ${this.name}'s`);
    if (current.ephemeral && current.visibleToUserId !== this.user.id)
      throw new Error(`message ${message.id} is ephemeral and only visible to ${current.visibleToUserId}`);
    return current;
  }

  private forgedCarrierMessage(customId: string, channelId: string, guildId: string | null): FakeMessage {
    const message: FakeMessage = {
      id: nextSnowflake(),
      channelId,
      guildId,
      authorId: this.context.store.botUser.id,
      type: MessageType.Default,
      createdAt: Date.now(),
      deleted: false,
      ephemeral: true,
      visibleToUserId: this.user.id,
      source: 'interactionResponse',
      interactionId: null,
      history: [],
      content: 'forged carrier message',
      embeds: [],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Forged', custom_id: customId },
          ],
        },
      ],
      attachments: [],
      flags: EPHEMERAL_FLAG,
      allowedMentions: undefined,
      editedAt: null,
    };
    this.context.store.messages.set(message.id, message);
    return message;
  }
}
