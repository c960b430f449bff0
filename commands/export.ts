import { AttachmentBuilder } from 'discord.js';
import { exportAnswerBatches } from '../src/db/repo/exportAnswers.ts';
import { cohortTimeZone } from '../src/db/repo/cohorts.ts';
import { guildTimeZone } from '../src/db/repo/guildSettings.ts';
import { cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION } from '../src/discord/cohortOption.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { UserError } from '../src/errors.ts';
import { ATTACHMENT_MAX_BYTES, buildAnswersCsv } from '../src/export/answersCsv.ts';
import { localDateOf } from '../src/quiz/schedule.ts';

export const exportCommand: Command = {
  data: slashCommand(
    'export',
    'Every answer with its grade, feedback and points, as a CSV file',
    'instructors',
  ).addStringOption((o) => cohortOption(o, 'Only this cohort, removed ones too (default: the whole server)')),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const guildId = interaction.guildId;
      const cohort = await cohortFromOption(ctx, guildId, interaction.options.getString(COHORT_OPTION), {
        includeRemoved: true,
      });
      const file = await buildAnswersCsv(exportAnswerBatches(ctx.db, guildId, { cohortId: cohort?.id ?? null }));
      if (file.status === 'too-big') {
        throw new UserError(
          `The export is larger than Discord's ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB attachment limit (over ${file.rows} answers). ` +
            `Ask the operator to run \`npm run export -- ${guildId} --out answers.csv\` on the bot's machine.`,
        );
      }
      const date = localDateOf(ctx.now(), cohort ? cohortTimeZone(cohort) : await guildTimeZone(ctx.db, guildId));
      const name = cohort ? `answers-${guildId}-cohort-${cohort.id}-${date}.csv` : `answers-${guildId}-${date}.csv`;
      await respond.send({
        content:
          file.rows === 0
            ? 'There are no answers yet: the file has only the header.'
            : `${file.rows} answers exported.`,
        files: [new AttachmentBuilder(file.buffer, { name })],
      });
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(
      await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused(), { includeRemoved: true }),
    );
  },
};
