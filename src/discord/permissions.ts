import { PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import type { AppContext } from '../context.ts';
import { getGuildSettings } from '../db/repo/guildSettings.ts';
import { UserError } from '../errors.ts';
import type { InGuild } from './command.ts';

type Member = Pick<BaseInteraction<InGuild>, 'guildId' | 'member' | 'memberPermissions'>;

const NOT_INSTRUCTOR = 'Only instructors can do this (Manage Server permission or the instructor role).';

/** The member's role ids, whether discord.js had the member cached or only got the API object. */
function roleIds(interaction: Member): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

/**
 * Checked by the router for every instructor command, its buttons and modals included: `default_member_permissions`
 * only hides commands, and anyone who sees a message can click its buttons or forge a custom id.
 */
export async function requireInstructor(interaction: Member, ctx: AppContext): Promise<void> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return;
  const settings = await getGuildSettings(ctx.db, interaction.guildId);
  if (settings?.instructorRoleId && roleIds(interaction).includes(settings.instructorRoleId)) return;
  throw new UserError(NOT_INSTRUCTOR);
}
