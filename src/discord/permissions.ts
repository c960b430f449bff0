import { PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import type { AppContext } from '../context.ts';
import { listCohorts } from '../db/repo/cohorts.ts';
import { serverInstructorRole } from '../db/repo/guildSettings.ts';
import { UserError } from '../errors.ts';
import { roleIds } from './cohortOption.ts';
import type { InGuild } from './command.ts';

type Member = Pick<BaseInteraction<InGuild>, 'guildId' | 'member' | 'memberPermissions'>;

const NOT_INSTRUCTOR =
  'Only instructors can do this (Manage Server permission, the instructor role or a cohort’s instructor role).';

/**
 * Checked by the router for every instructor command, its buttons and modals included: `default_member_permissions`
 * only hides commands, and anyone who sees a message can click its buttons or forge a custom id.
 */
export async function requireInstructor(interaction: Member, ctx: AppContext): Promise<void> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return;
  const held = roleIds(interaction);
  const [serverRole, cohorts] = await Promise.all([
    serverInstructorRole(ctx.db, interaction.guildId),
    listCohorts(ctx.db, interaction.guildId),
  ]);
  // A cohort's instructor role makes its members instructors, as the server's role does.
  if (
    [serverRole, ...cohorts.map((cohort) => cohort.instructorRoleId)].some(
      (role) => role !== null && held.includes(role),
    )
  )
    return;
  throw new UserError(NOT_INSTRUCTOR);
}
