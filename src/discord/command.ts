import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AppContext } from '../context.ts';
import type { ComponentId, ComponentKind } from './customId.ts';
import type { Responder, ResponseMode } from './responder.ts';

/**
 * An interaction from a server (the router refuses direct messages before any handler runs), so its `guildId` is a
 * string. Cached or not: the bot asks for no member or channel caches it does not need.
 */
export type InGuild = 'cached' | 'raw';
export type SlashInteraction = ChatInputCommandInteraction<InGuild>;
export type ButtonPress = ButtonInteraction<InGuild>;
export type ModalSubmit = ModalSubmitInteraction<InGuild>;
type GuildAutocomplete = AutocompleteInteraction<InGuild>;
type InteractionOf<K extends ComponentKind> = K extends 'button' ? ButtonPress : ModalSubmit;

export interface Handler<I, V = undefined> {
  /** How it responds; decides what an automatic deferral looks like. */
  mode: ResponseMode | ((interaction: I) => ResponseMode);
  run(interaction: I, ctx: AppContext, respond: Responder, values: V): Promise<void>;
}

/** A button or modal handler with the custom id it answers; the router parses the id before `run`. */
export interface ComponentHandler<V = never, K extends ComponentKind = ComponentKind> extends Handler<
  InteractionOf<K>,
  V
> {
  id: ComponentId<V, K>;
  /** Also handled in a direct message with the bot (not for instructor commands): `guildId` is then null. */
  directMessages?: boolean;
}

type AnywhereInteractionOf<K extends ComponentKind> = K extends 'button' ? ButtonInteraction : ModalSubmitInteraction;

/** A handler for a component the bot also sends in direct messages (a grade's DM): it must not assume a server. */
export function onAnywhere<V, K extends ComponentKind>(
  id: ComponentId<V, K>,
  handler: Handler<AnywhereInteractionOf<K>, V>,
): ComponentHandler<V, K> {
  return { id, directMessages: true, ...(handler as Handler<InteractionOf<K>, V>) };
}

/** Pairs a declared custom id with the handler that receives its typed values. */
export function on<V, K extends ComponentKind>(
  id: ComponentId<V, K>,
  handler: Handler<InteractionOf<K>, V>,
): ComponentHandler<V, K> {
  return { id, ...handler };
}

/** One slash command: its definition, its handler, and the buttons and modals whose custom ids it owns. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Instructors only: the router checks it for the command and for every button and modal it owns. */
  instructorOnly: boolean;
  execute: Handler<SlashInteraction>;
  autocomplete?: (interaction: GuildAutocomplete, ctx: AppContext) => Promise<void>;
  /** Each handler is typed by its own id; the list only holds them together. */
  components?: readonly ComponentHandler<any>[];
}

/**
 * A guild-only slash command. Instructor commands are hidden from members without Manage Server; the router
 * checks again, since a server can override who sees a command.
 */
export function slashCommand(
  name: string,
  description: string,
  audience: 'everyone' | 'instructors',
): SlashCommandBuilder {
  const builder = new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild);
  return audience === 'instructors' ? builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild) : builder;
}
