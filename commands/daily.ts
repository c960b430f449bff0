import { DiscordAPIError, HTTPError, messageLink } from 'discord.js';
import type { AppContext } from '../src/context.ts';
import { dailyPromptOn } from '../src/db/repo/daily.ts';
import { editCohort, hasDailySchedule, listCohorts, takePauseNotice, type CohortRow } from '../src/db/repo/cohorts.ts';
import { cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION } from '../src/discord/cohortOption.ts';
import { slashCommand, type Command, type SlashInteraction } from '../src/discord/command.ts';
import { isDatabaseUnavailable } from '../src/db/errors.ts';
import { UserError } from '../src/errors.ts';
import { pausedNotice, pauseOnPermanentFailure } from '../src/jobs/channelFailure.ts';
import { closeDailyNow } from '../src/jobs/dailyClosing.ts';
import { postDailyQuestion } from '../src/jobs/dailyPosting.ts';
import { localDateOf } from '../src/quiz/schedule.ts';

export const daily: Command = {
  data: slashCommand('daily', 'Post or close the daily question now', 'instructors')
    .addSubcommand((sub) =>
      sub
        .setName('post')
        .setDescription("Post today's daily question now")
        .addStringOption((o) => cohortOption(o, "The cohort (default: this channel's, or the only one)")),
    )
    .addSubcommand((sub) =>
      sub
        .setName('close')
        .setDescription('Close the open daily question now and post its reveal')
        .addStringOption((o) => cohortOption(o, "The cohort (default: this channel's, or the only one)")),
    ),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const cohort = await cohortOfCommand(interaction, ctx);
      // A pause the owner could not be told of by DM is told here, to the first instructor who comes by.
      const notice = await takePauseNotice(ctx.db, cohort.id, ctx.now());
      const told = (text: string) => (notice && !text.includes(notice) ? `${pausedNotice(notice)}\n\n${text}` : text);
      try {
        const content =
          interaction.options.getSubcommand() === 'close' ? await closeNow(ctx, cohort) : await postNow(ctx, cohort);
        await respond.send({ content: told(content) });
      } catch (error) {
        throw error instanceof UserError ? new UserError(told(error.message)) : error;
      }
    },
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(await cohortChoices(ctx, interaction.guildId, interaction.options.getFocused()));
  },
};

/** The cohort named in the option, else this channel's cohort, else the server's only one. */
async function cohortOfCommand(interaction: SlashInteraction, ctx: AppContext): Promise<CohortRow> {
  const named = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION));
  if (named) return named;
  const cohorts = await listCohorts(ctx.db, interaction.guildId);
  const here =
    cohorts.find((cohort) => cohort.channelId === interaction.channelId) ??
    (cohorts.length === 1 ? cohorts[0] : undefined);
  if (here) return here;
  if (cohorts.length === 0) throw new UserError('Set the daily channel first with /setup daily.');
  throw new UserError(`This server has ${cohorts.length} cohorts: name one in \`cohort\`, or run this in its channel.`);
}

async function closeNow(ctx: AppContext, cohort: CohortRow): Promise<string> {
  const { closed, revealed, refused } = await closeDailyNow(ctx, cohort.id);
  if (closed === 0) throw new UserError('There is no open daily question to close.');
  if (revealed) return 'Closed. The reveal is posted in the daily channel.';
  if (refused)
    return `Closed, but the reveal could not be posted and will not be retried. The daily question is paused. ${refused}`;
  return 'Closed. Discord did not take the reveal yet: the bot retries it within a few minutes.';
}

async function postNow(ctx: AppContext, settings: CohortRow): Promise<string> {
  const { guildId } = settings;
  if (!hasDailySchedule(settings))
    throw new UserError('Set the daily channel first with /setup daily (or /setup cohort edit).');
  const localDate = localDateOf(ctx.now(), settings.timeZone);
  // An instructor's retry takes over a claim whose post failed at once (the post's nonce stops a double post).
  const outcome = await postDailyQuestion(ctx, settings, localDate, { leaseMs: 0 }).catch(async (error: unknown) => {
    if (isDatabaseUnavailable(error)) throw error;
    const reason = await pauseOnPermanentFailure(
      ctx,
      { cohortId: settings.id, guildId, channelId: settings.channelId, error },
      'reply',
    );
    if (reason) throw new UserError(`Nothing was posted, and the daily question is paused. ${reason}`);
    ctx.logger.warn({ err: error, guildId }, 'daily post failed');
    throw new UserError(
      `Discord did not accept the post in <#${settings.channelId}> (${discordFailure(error)}), so nothing was posted. ` +
        'This is usually brief: run /daily post again in a few minutes. The bot also retries on its own, waiting longer each time.',
    );
  });
  if (outcome.status === 'empty-bank') throw new UserError('The question bank has no active questions.');
  if (outcome.status === 'behind') {
    throw new UserError(
      `Nothing was posted: the last daily question is dated ${outcome.lastDate}, and today is ${localDate} in ${settings.timeZone} ` +
        '(the time zone or time changed since). The next one is posted on the first scheduled day after that date; /setup show gives the time.',
    );
  }
  if (outcome.status === 'taken') {
    const existing = await dailyPromptOn(ctx.db, settings.id, localDate);
    const where =
      existing?.messageId && existing.channelId
        ? `: ${messageLink(existing.channelId, existing.messageId, guildId)}`
        : '.';
    throw new UserError(`Today's daily question (${localDate}) was already posted${where}`);
  }
  // The channel works again: a schedule the bot paused because of it runs again.
  const resumed = settings.pausedReason !== null;
  if (resumed)
    await editCohort(ctx.db, guildId, settings.id, { paused: false, pausedReason: null, pauseNoticeAt: null });
  return (
    `Posted today's daily question (${localDate}): ${messageLink(settings.channelId, outcome.messageId, guildId)}. The scheduler will not post another today.` +
    (resumed ? ' The daily schedule, paused because of the channel, runs again.' : '')
  );
}

/** Discord's refusal in a few words, for a reply. */
function discordFailure(error: unknown): string {
  if (error instanceof DiscordAPIError) return `Discord error ${error.code || error.status}: ${error.message}`;
  if (error instanceof HTTPError) return `Discord answered HTTP ${error.status}`;
  return 'Discord did not answer';
}
