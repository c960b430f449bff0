import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { AppContext } from '../context.ts';
import { getGuildSettings } from '../db/repo/guildSettings.ts';
import { UserError } from '../errors.ts';

export const NOT_INSTRUCTOR = 'Only instructors can do this (Manage Server permission or the instructor role).';

/** The member's role ids, whether discord.js had the member cached or only got the API object. */
function roleIds(interaction: Interaction): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

/**
 * Checked in every instructor handler, buttons and modals included: `default_member_permissions` only hides
 * commands, and anyone who sees a message can click its buttons or forge a custom id.
 */
export async function requireInstructor(interaction: Interaction, ctx: AppContext): Promise<void> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return;
  const settings = await getGuildSettings(ctx.db, interaction.guildId!);
  if (settings?.instructorRoleId && roleIds(interaction).includes(settings.instructorRoleId)) return;
  throw new UserError(NOT_INSTRUCTOR);
}
