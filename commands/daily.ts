import { messageLink } from 'discord.js';
import { dailyPromptOn } from '../src/db/repo/daily.ts';
import { getGuildSettings, hasDailySchedule } from '../src/db/repo/guildSettings.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { requireInstructor } from '../src/discord/permissions.ts';
import { isDatabaseUnavailable } from '../src/db/errors.ts';
import { UserError } from '../src/errors.ts';
import { closeDailyNow } from '../src/jobs/dailyClosing.ts';
import { postDailyQuestion } from '../src/jobs/dailyPosting.ts';
import { localDateOf } from '../src/quiz/schedule.ts';

export const daily: Command = {
  data: slashCommand('daily', 'Post or close the daily question now', 'instructors')
    .addSubcommand((sub) => sub.setName('post').setDescription("Post today's daily question now"))
    .addSubcommand((sub) => sub.setName('close').setDescription('Close the open daily question now and post its reveal')),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await requireInstructor(interaction, ctx);
      const guildId = interaction.guildId!;
      if (interaction.options.getSubcommand() === 'close') {
        const { closed, revealed } = await closeDailyNow(ctx, guildId);
        if (closed === 0) throw new UserError('There is no open daily question to close.');
        return respond.send({
          content: revealed
            ? 'Closed. The reveal is posted in the daily channel.'
            : 'Closed. Discord did not take the reveal yet: the bot retries it within a few minutes.',
        });
      }
      const settings = await getGuildSettings(ctx.db, guildId);
      if (!hasDailySchedule(settings)) throw new UserError('Set the daily channel first with /setup daily.');
      const localDate = localDateOf(ctx.now(), settings.timeZone);
      // An instructor's retry takes over a claim whose post failed at once (the post's nonce stops a double post).
      const outcome = await postDailyQuestion(ctx, settings, localDate, { leaseMs: 0 }).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) throw error;
        ctx.logger.warn({ err: error, guildId }, 'daily post failed');
        throw new UserError(`Discord did not accept the post in <#${settings.channelId}>, so nothing was posted. Run /daily post again in a minute.`);
      });
      if (outcome.status === 'empty-bank') throw new UserError('The question bank has no active questions.');
      if (outcome.status === 'behind') {
        throw new UserError(
          `Nothing was posted: the last daily question is dated ${outcome.lastDate}, and today is ${localDate} in ${settings.timeZone} ` +
            '(the time zone or time changed since). The next one is posted on the first scheduled day after that date; /setup show gives the time.',
        );
      }
      if (outcome.status === 'taken') {
        const existing = await dailyPromptOn(ctx.db, guildId, localDate);
        const where = existing?.messageId && existing.channelId ? `: ${messageLink(existing.channelId, existing.messageId, guildId)}` : '.';
        throw new UserError(`Today's daily question (${localDate}) was already posted${where}`);
      }
      await respond.send({
        content: `Posted today's daily question (${localDate}): ${messageLink(settings.channelId, outcome.messageId, guildId)}. The scheduler will not post another today.`,
      });
    },
  },
};
