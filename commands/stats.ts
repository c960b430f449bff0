import { guildStats } from '../src/db/repo/stats.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { statsEmbed } from '../src/discord/render/stats.ts';

export const stats: Command = {
  data: slashCommand('stats', 'Where the cohort stands: answers and grades per question, daily participation', 'instructors'),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await respond.send({ embeds: [statsEmbed(await guildStats(ctx.db, interaction.guildId))] });
    },
  },
};
