import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AppContext } from '../context.ts';
import type { Responder, ResponseMode } from './responder.ts';

export interface Handler<I> {
  /** How it responds; decides what an automatic deferral looks like. */
  mode: ResponseMode | ((interaction: I) => ResponseMode);
  run(interaction: I, ctx: AppContext, respond: Responder, args: string[]): Promise<void>;
}

/** One slash command: its definition, its handler, and the buttons and modals whose custom ids it owns. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute: Handler<ChatInputCommandInteraction>;
  autocomplete?: (interaction: AutocompleteInteraction, ctx: AppContext) => Promise<void>;
  buttons?: Record<string, Handler<ButtonInteraction>>;
  modals?: Record<string, Handler<ModalSubmitInteraction>>;
}

/**
 * A guild-only slash command. Instructor commands are hidden from members without Manage Server;
 * their handlers check again, since a server can override who sees a command.
 */
export function slashCommand(name: string, description: string, audience: 'everyone' | 'instructors'): SlashCommandBuilder {
  const builder = new SlashCommandBuilder().setName(name).setDescription(description).setContexts(InteractionContextType.Guild);
  return audience === 'instructors' ? builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild) : builder;
}
