import { guildStats } from '../src/db/repo/stats.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { requireInstructor } from '../src/discord/permissions.ts';
import { statsEmbed } from '../src/discord/render/stats.ts';

export const stats: Command = {
  data: slashCommand('stats', 'Where the cohort stands: answers and grades per question, daily participation', 'instructors'),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await requireInstructor(interaction, ctx);
      await respond.send({ embeds: [statsEmbed(await guildStats(ctx.db, interaction.guildId!))] });
    },
  },
};
