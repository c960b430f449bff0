import { PermissionFlagsBits, type BaseInteraction, type SlashCommandStringOption } from 'discord.js';
import type { AppContext } from '../context.ts';
import { callerCohort, findCohort, listCohorts, type CohortRow } from '../db/repo/cohorts.ts';
import { UserError } from '../errors.ts';
import { isStudentOf, type Caller } from '../quiz/cohorts.ts';
import type { InGuild } from './command.ts';

/** The name of every command's cohort option; its value is a cohort id (chosen from the autocomplete) or a name as typed. */
export const COHORT_OPTION = 'cohort';
const MAX_CHOICES = 25;

type Member = Pick<BaseInteraction<InGuild>, 'guildId' | 'member' | 'memberPermissions' | 'channelId'>;

/** The member's role ids, whether discord.js had the member cached or only got the API object. */
export function roleIds(interaction: Pick<Member, 'member'>): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

export function callerOf(interaction: Member): Caller {
  return { channelId: interaction.channelId, roleIds: roleIds(interaction) };
}

/** The autocompleted cohort option, for a command or subcommand: `.addStringOption((o) => cohortOption(o, '...'))`. */
export function cohortOption(
  option: SlashCommandStringOption,
  description: string,
  required = false,
): SlashCommandStringOption {
  return option
    .setName(COHORT_OPTION)
    .setDescription(description)
    .setRequired(required)
    .setAutocomplete(true)
    .setMaxLength(100);
}

/** Autocomplete choices: the guild's cohorts whose name contains what was typed; removed ones too with `includeRemoved`. */
export async function cohortChoices(
  ctx: AppContext,
  guildId: string,
  typed: string,
  options: { includeRemoved?: boolean } = {},
) {
  const needle = typed.trim().toLowerCase();
  const cohorts = await listCohorts(ctx.db, guildId, { includeRemoved: options.includeRemoved });
  return cohorts
    .filter((cohort) => cohort.name.toLowerCase().includes(needle))
    .slice(0, MAX_CHOICES)
    .map((cohort) => ({ name: cohort.removedAt ? `${cohort.name} (removed)` : cohort.name, value: String(cohort.id) }));
}

/**
 * The cohort the option names: an id from the autocomplete, else a name as typed (any case). Only this guild's
 * cohorts, so a forged id of another server's cohort is unknown here. Null when the option was left out.
 */
export async function cohortFromOption(
  ctx: AppContext,
  guildId: string,
  value: string | null,
  options: { includeRemoved?: boolean } = {},
): Promise<CohortRow | null> {
  if (value === null) return null;
  const byId = /^\d{1,9}$/.test(value) ? await findCohort(ctx.db, guildId, Number(value)) : undefined;
  const cohort =
    byId ??
    (await listCohorts(ctx.db, guildId, { includeRemoved: options.includeRemoved })).find(
      (row) => row.name.toLowerCase() === value.trim().toLowerCase(),
    );
  if (!cohort || (cohort.removedAt && !options.includeRemoved)) {
    throw new UserError(`There is no cohort "${value.slice(0, 50)}" in this server. Pick one from the list.`);
  }
  return cohort;
}

/**
 * The cohort a student command is about: the one its option names, if the caller is one of its students (or an
 * instructor); else the caller's default (the channel's cohort, else their cohort role's, else the server's first).
 */
export async function chosenOrCallerCohort(
  interaction: Member & { options: { getString(name: string): string | null } },
  ctx: AppContext,
): Promise<CohortRow> {
  const chosen = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION));
  if (!chosen) return callerCohort(ctx.db, interaction.guildId, callerOf(interaction));
  if (!mayView(interaction, chosen))
    throw new UserError(`You are not in the cohort "${chosen.name}". Pick one of your cohorts.`);
  return chosen;
}

/** Whether the member may see this cohort's figures: one of its students, or an instructor (Manage Server). */
export function mayView(interaction: Member, cohort: CohortRow): boolean {
  return (
    isStudentOf(cohort, callerOf(interaction)) ||
    Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
  );
}
