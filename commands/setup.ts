import { ChannelType, channelMention, PermissionFlagsBits, type SlashCommandSubcommandBuilder } from 'discord.js';
import type { AppContext } from '../src/context.ts';
import type { Queryable } from '../src/db/client.ts';
import {
  addCohort,
  editCohort,
  ensureServerCohort,
  listCohorts,
  removeCohort,
  takePauseNotice,
  type CohortChanges,
  type CohortRow,
  type CohortWriteResult,
} from '../src/db/repo/cohorts.ts';
import { dailyPromptOn, lastPostedDate } from '../src/db/repo/daily.ts';
import { databaseKnowsTimeZone, serverInstructorRole, setServerInstructorRole } from '../src/db/repo/guildSettings.ts';
import { rebuildScoreTotals } from '../src/db/repo/leaderboard.ts';
import { activeTopics } from '../src/db/repo/questions.ts';
import { cohortChoices, cohortFromOption, cohortOption, COHORT_OPTION } from '../src/discord/cohortOption.ts';
import { slashCommand, type Command, type SlashInteraction } from '../src/discord/command.ts';
import { settingsEmbed, settingsUnavailable } from '../src/discord/render/settings.ts';
import { shorten } from '../src/discord/render/text.ts';
import { UserError } from '../src/errors.ts';
import { databaseErrorSummary, databaseProblem } from '../src/db/errors.ts';
import { fetchGuild } from '../src/discord/guilds.ts';
import { cohortName, COHORT_NAME_MAX } from '../src/quiz/cohorts.ts';
import {
  addLocalDays,
  canonicalTimeZone,
  formatTime,
  isScheduledDay,
  localDateOf,
  parseTime,
  postInstantFor,
  timeZoneNames,
  type DailySchedule,
} from '../src/quiz/schedule.ts';

const REQUIRED_CHANNEL_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
] as const;
/** Settings embeds in one reply at most (Discord allows 10 embeds). */
const MAX_SHOWN = 10;

/** The schedule's options, shared by /setup daily and /setup cohort add|edit; `required`: channel, time and zone must be given. */
function scheduleOptions(sub: SlashCommandSubcommandBuilder, required: boolean): SlashCommandSubcommandBuilder {
  return sub
    .addChannelOption((o) =>
      o
        .setName('channel')
        .setDescription('Where to post it')
        .setRequired(required)
        .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
    )
    .addStringOption((o) =>
      o.setName('time').setDescription('Local time, HH:MM (24 h), e.g. 09:00').setRequired(required).setMaxLength(5),
    )
    .addStringOption((o) =>
      o
        .setName('timezone')
        .setDescription('IANA time zone, e.g. America/New_York')
        .setRequired(required)
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .addIntegerOption((o) =>
      o.setName('window_hours').setDescription('Hours to answer (default 24)').setMinValue(1).setMaxValue(72),
    )
    .addStringOption((o) =>
      o
        .setName('days')
        .setDescription('Every day (default) or weekdays only')
        .addChoices({ name: 'every day', value: 'every' }, { name: 'weekdays', value: 'weekdays' }),
    )
    .addIntegerOption((o) =>
      o
        .setName('remind_hours')
        .setDescription('Remind students who asked, this many hours before closing (default 3, 0: off)')
        .setMinValue(0)
        .setMaxValue(72),
    );
}

/** A cohort's name: required options go before the others, so it comes first. */
function nameOption(sub: SlashCommandSubcommandBuilder, required: boolean): SlashCommandSubcommandBuilder {
  return sub.addStringOption((o) =>
    o
      .setName('name')
      .setDescription('The cohort’s name, unique in this server')
      .setRequired(required)
      .setMaxLength(COHORT_NAME_MAX),
  );
}

/** A cohort's own options besides its name and schedule: roles, topics. */
function cohortOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addRoleOption((o) => o.setName('student_role').setDescription('Its students (default: everyone in the server)'))
    .addRoleOption((o) => o.setName('instructor_role').setDescription('Its instructors, besides the server’s'))
    .addStringOption((o) =>
      o
        .setName('topics')
        .setDescription('Only these topics in its daily questions, comma-separated (default: all)')
        .setMaxLength(500),
    );
}

export const setup: Command = {
  data: slashCommand('setup', 'Configure cohorts, their daily question and the instructor role', 'instructors')
    .addSubcommand((sub) =>
      scheduleOptions(
        sub.setName('daily').setDescription('Schedule the daily question (of the server’s only cohort)'),
        true,
      ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('instructors')
        .setDescription('Set the instructor role')
        .addRoleOption((o) =>
          o.setName('role').setDescription('Members with this role can grade and configure').setRequired(true),
        ),
    )
    .addSubcommand((sub) => sub.setName('show').setDescription('Show the current settings and the next post times'))
    .addSubcommand((sub) =>
      sub
        .setName('pause')
        .setDescription('Stop posting the daily question')
        .addStringOption((o) => cohortOption(o, 'The cohort (needed when there are several)')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('resume')
        .setDescription('Start posting the daily question again')
        .addStringOption((o) => cohortOption(o, 'The cohort (needed when there are several)')),
    )
    .addSubcommandGroup((group) =>
      group
        .setName('cohort')
        .setDescription('The server’s cohorts: each has its channel, schedule, students and leaderboard')
        .addSubcommand((sub) =>
          cohortOptions(
            scheduleOptions(
              nameOption(sub.setName('add').setDescription('Add a cohort with its channel and schedule'), true),
              true,
            ),
          ),
        )
        .addSubcommand((sub) =>
          cohortOptions(
            scheduleOptions(
              nameOption(
                sub
                  .setName('edit')
                  .setDescription('Change a cohort: only the options given change')
                  .addStringOption((o) => cohortOption(o, 'The cohort to change', true)),
                false,
              ),
              false,
            ),
          ).addStringOption((o) =>
            o
              .setName('clear')
              .setDescription('Remove one of its settings')
              .addChoices(
                { name: 'student role', value: 'student_role' },
                { name: 'instructor role', value: 'instructor_role' },
                { name: 'topics', value: 'topics' },
              ),
          ),
        )
        .addSubcommand((sub) =>
          sub
            .setName('remove')
            .setDescription('Stop a cohort; its answers and points stay, and /export still has them')
            .addStringOption((o) => cohortOption(o, 'The cohort to remove', true)),
        )
        .addSubcommand((sub) =>
          sub.setName('list').setDescription('Every cohort with its channel, schedule and next post'),
        ),
    ),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const { guildId } = interaction;
      const group = interaction.options.getSubcommandGroup();
      const sub = interaction.options.getSubcommand();
      let shown: CohortRow[] | null = null;
      let note: string | undefined;
      if (group === 'cohort') ({ shown, note } = await manageCohort(interaction, ctx, sub));
      else if (sub === 'daily') shown = [await configureDaily(interaction, ctx)];
      else if (sub === 'instructors')
        await setServerInstructorRole(ctx.db, guildId, interaction.options.getRole('role', true).id);
      else if (sub === 'pause' || sub === 'resume') shown = [await pauseOrResume(interaction, ctx, sub === 'pause')];
      // Everything but `show` and `cohort list` has saved a change by now: it stands, whatever happens to the reply.
      const saved = sub !== 'show' && !(group === 'cohort' && sub === 'list');
      let reply: Awaited<ReturnType<typeof settingsReply>>;
      try {
        reply = await settingsReply(ctx, guildId, shown, note);
      } catch (error) {
        const problem = databaseProblem(error);
        if (!saved || !problem) throw error;
        ctx.logger.warn({ guildId, ...databaseErrorSummary(error) }, 'the settings could not be read after a change');
        reply = { content: settingsUnavailable(note, problem), embeds: [] };
      }
      await respond.send(reply);
    },
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === COHORT_OPTION)
      return interaction.respond(await cohortChoices(ctx, interaction.guildId, focused.value));
    const typed = focused.value.toLowerCase().replace(/\s+/g, '_');
    const names = timeZoneNames().filter((name) => name.toLowerCase().includes(typed));
    await interaction.respond(names.slice(0, 25).map((name) => ({ name, value: name })));
  },
};

/** The settings shown after a /setup subcommand: the cohorts it changed (or all), with their next post times. */
async function settingsReply(ctx: AppContext, guildId: string, shown: CohortRow[] | null, note: string | undefined) {
  shown ??= await listCohorts(ctx.db, guildId);
  // The settings shown below give the reason of a pause the bot made: that tells this instructor of it.
  for (const cohort of shown) await takePauseNotice(ctx.db, cohort.id, ctx.now());
  const named = (await listCohorts(ctx.db, guildId)).length > 1;
  const serverRole = await serverInstructorRole(ctx.db, guildId);
  const embeds = await Promise.all(
    shown.slice(0, MAX_SHOWN).map(async (cohort) =>
      settingsEmbed({
        cohort,
        serverInstructorRoleId: serverRole,
        nextPost: await nextPostOf(ctx, cohort),
        named,
      }),
    ),
  );
  if (embeds.length === 0)
    embeds.push(settingsEmbed({ cohort: undefined, serverInstructorRoleId: serverRole, nextPost: null, named: false }));
  const more =
    shown.length > MAX_SHOWN
      ? `${shown.length - MAX_SHOWN} more cohorts are not shown: /setup cohort list names them all.`
      : undefined;
  const content = [note, more].filter(Boolean).join('\n');
  return { ...(content ? { content } : {}), embeds };
}

/** The server's only cohort, for the options that predate cohorts; with several, the instructor names one. */
async function onlyCohort(
  interaction: SlashInteraction,
  ctx: AppContext,
  whatToUse: string,
): Promise<CohortRow | undefined> {
  const named = await cohortFromOption(ctx, interaction.guildId, interaction.options.getString(COHORT_OPTION));
  if (named) return named;
  const cohorts = await listCohorts(ctx.db, interaction.guildId);
  if (cohorts.length > 1) throw new UserError(`This server has ${cohorts.length} cohorts: ${whatToUse}`);
  return cohorts[0];
}

async function configureDaily(interaction: SlashInteraction, ctx: AppContext): Promise<CohortRow> {
  const cohort = await onlyCohort(interaction, ctx, 'set each one’s schedule with /setup cohort edit.');
  const schedule = await readSchedule(interaction, ctx);
  return ctx.db.transaction(async (tx) => {
    const target = cohort ?? (await ensureServerCohort(tx, interaction.guildId));
    const result = await rescheduleCohort(tx, target, schedule, ctx.now());
    return savedOrRefused(result);
  });
}

async function pauseOrResume(interaction: SlashInteraction, ctx: AppContext, pause: boolean): Promise<CohortRow> {
  const cohort = await onlyCohort(interaction, ctx, `name the one to ${pause ? 'pause' : 'resume'} in \`cohort\`.`);
  if (!cohort?.channelId || !cohort.postTime)
    throw new UserError('There is no daily question to pause or resume yet. Use /setup daily first.');
  return savedOrRefused(
    await editCohort(ctx.db, interaction.guildId, cohort.id, {
      paused: pause,
      pausedReason: null,
      pauseNoticeAt: null,
    }),
  );
}

async function manageCohort(
  interaction: SlashInteraction,
  ctx: AppContext,
  sub: string,
): Promise<{ shown: CohortRow[] | null; note?: string }> {
  const { guildId } = interaction;
  if (sub === 'list') return { shown: null };
  if (sub === 'remove') {
    const cohort = (await cohortFromOption(ctx, guildId, interaction.options.getString(COHORT_OPTION, true)))!;
    const result = await removeCohort(ctx.db, guildId, cohort.id, ctx.now());
    if (result.status === 'last-cohort')
      throw new UserError(`"${cohort.name}" is the server’s only cohort: add another before removing it.`);
    if (result.status === 'missing') throw new UserError(`There is no cohort "${cohort.name}" any more.`);
    return {
      shown: null,
      note: `Removed **${cohort.name}**: it posts nothing more. Its answers and points stay; /export with \`cohort\` still has them.`,
    };
  }
  const own = await readCohortOptions(interaction, ctx);
  const schedule = await readSchedule(interaction, ctx);
  if (sub === 'add') {
    const cohort = await ctx.db.transaction(async (tx) => {
      const added = savedOrRefused(await addCohort(tx, guildId, { name: own.name!, ...own.changes }));
      return savedOrRefused(await rescheduleCohort(tx, added, schedule, ctx.now()));
    });
    return { shown: [cohort], note: `Added **${cohort.name}** in ${channelMention(cohort.channelId!)}.` };
  }
  const cohort = (await cohortFromOption(ctx, guildId, interaction.options.getString(COHORT_OPTION, true)))!;
  const cleared = interaction.options.getString('clear');
  const changes: CohortChanges = {
    ...own.changes,
    ...(own.name ? { name: own.name } : {}),
    ...(cleared === 'student_role'
      ? { studentRoleId: null }
      : cleared === 'instructor_role'
        ? { instructorRoleId: null }
        : cleared === 'topics'
          ? { topics: null }
          : {}),
  };
  const edited = await ctx.db.transaction(async (tx) => {
    const renamed = savedOrRefused(await editCohort(tx, guildId, cohort.id, changes));
    return Object.keys(schedule).length > 0
      ? savedOrRefused(await rescheduleCohort(tx, renamed, schedule, ctx.now()))
      : renamed;
  });
  return { shown: [edited] };
}

/** The cohort an add or edit saved, or the refusal in words. */
function savedOrRefused(result: CohortWriteResult): CohortRow {
  if (result.status === 'saved') return result.cohort;
  if (result.status === 'duplicate-name')
    throw new UserError(
      'Another cohort of this server has that name (names are compared without case). Choose another.',
    );
  if (result.status === 'duplicate-channel')
    throw new UserError('Another cohort of this server posts in that channel. Each cohort needs its own channel.');
  throw new UserError('That cohort was removed meanwhile. Pick one from the list.');
}

async function readCohortOptions(
  interaction: SlashInteraction,
  ctx: AppContext,
): Promise<{ name: string | null; changes: CohortChanges }> {
  const rawName = interaction.options.getString('name');
  const name = rawName === null ? null : cohortName(rawName);
  if (rawName !== null && !name) throw new UserError(`A cohort name has 1 to ${COHORT_NAME_MAX} characters.`);
  const changes: CohortChanges = {};
  const studentRole = interaction.options.getRole('student_role');
  if (studentRole) changes.studentRoleId = studentRole.id;
  const instructorRole = interaction.options.getRole('instructor_role');
  if (instructorRole) changes.instructorRoleId = instructorRole.id;
  const rawTopics = interaction.options.getString('topics');
  if (rawTopics !== null) {
    const known = await activeTopics(ctx.db, interaction.guildId);
    const wanted = rawTopics
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean);
    const topics = wanted.map((topic) => known.find((k) => k.toLowerCase() === topic.toLowerCase()));
    const unknown = wanted.filter((_, i) => topics[i] === undefined);
    if (wanted.length === 0 || unknown.length > 0) {
      throw new UserError(
        shorten(
          `Unknown topics: ${unknown.join(', ') || '(none given)'}. The bank's topics: ${known.join(', ')}.`,
          1900,
        ),
      );
    }
    changes.topics = [...new Set(topics as string[])];
  }
  return { name, changes };
}

type ScheduleInput = Pick<
  CohortChanges,
  'channelId' | 'postTime' | 'timeZone' | 'windowHours' | 'days' | 'remindHours'
>;

/** The schedule options given (all of them for /setup daily and cohort add), checked; only those given are returned. */
async function readSchedule(interaction: SlashInteraction, ctx: AppContext): Promise<ScheduleInput> {
  const input: ScheduleInput = {};
  const rawTime = interaction.options.getString('time');
  if (rawTime !== null) {
    const time = parseTime(rawTime);
    if (!time) throw new UserError('The time must be HH:MM in 24-hour format, for example 09:00 or 17:30.');
    input.postTime = formatTime(time);
  }
  const rawZone = interaction.options.getString('timezone');
  if (rawZone !== null) {
    const timeZone = canonicalTimeZone(rawZone);
    if (!timeZone || !(await databaseKnowsTimeZone(ctx.db, timeZone)))
      throw new UserError(
        `"${rawZone.slice(0, 64)}" is not a time zone. Pick one from the list, e.g. America/New_York or Europe/Berlin.`,
      );
    input.timeZone = timeZone;
  }
  const windowHours = interaction.options.getInteger('window_hours');
  if (windowHours !== null) {
    if (windowHours < 1 || windowHours > 72) throw new UserError('The answer window must be between 1 and 72 hours.');
    input.windowHours = windowHours;
  }
  const days = interaction.options.getString('days');
  if (days !== null) input.days = days === 'weekdays' ? 'weekdays' : 'every';
  // Left out, the reminder time stays as it was (3 hours at first).
  const remindHours = interaction.options.getInteger('remind_hours');
  if (remindHours !== null) {
    if (remindHours < 0 || remindHours > 72)
      throw new UserError('The reminder time must be between 0 (off) and 72 hours.');
    input.remindHours = remindHours;
  }
  const channel = interaction.options.getChannel('channel');
  if (channel) {
    const guild = await fetchGuild(interaction);
    const resolved =
      guild && (guild.channels.cache.get(channel.id) ?? (await guild.channels.fetch(channel.id).catch(() => null)));
    const me = guild && (guild.members.me ?? (await guild.members.fetchMe().catch(() => null)));
    if (
      !resolved ||
      !resolved.isSendable() ||
      !me ||
      !REQUIRED_CHANNEL_PERMISSIONS.every((p) => resolved.permissionsFor(me).has(p))
    ) {
      throw new UserError(
        `The bot cannot post in <#${channel.id}>: it needs View Channel, Send Messages, Embed Links and Read Message History there.`,
      );
    }
    input.channelId = channel.id;
  }
  return input;
}

/**
 * Applies schedule options to a cohort, in the caller's transaction. A new channel, time, zone or day rule schedules
 * it afresh: it runs (a pause ends) from today, or from tomorrow when today's time has passed, so it never posts at
 * once; its leaderboard's weeks and months are recounted when its zone changes.
 */
async function rescheduleCohort(
  tx: Queryable,
  cohort: CohortRow,
  input: ScheduleInput,
  now: Date,
): Promise<CohortWriteResult> {
  const merged = { ...cohort, ...input };
  const rescheduled =
    input.channelId !== undefined ||
    input.postTime !== undefined ||
    input.timeZone !== undefined ||
    input.days !== undefined;
  const changes: CohortChanges = { ...input };
  if (rescheduled && merged.postTime && merged.timeZone) {
    const today = localDateOf(now, merged.timeZone);
    const startsOn =
      now >= postInstantFor(today, { time: merged.postTime, timeZone: merged.timeZone, days: merged.days })
        ? addLocalDays(today, 1)
        : today;
    Object.assign(changes, { startsOn, paused: false, pausedReason: null, pauseNoticeAt: null });
  }
  if (Object.keys(changes).length === 0) return { status: 'saved', cohort };
  const result = await editCohort(tx, cohort.guildId, cohort.id, changes);
  // Weeks and months of the leaderboard follow the cohort's zone: recount them when it changes.
  if (result.status === 'saved' && (cohort.timeZone ?? 'UTC') !== (merged.timeZone ?? 'UTC'))
    await rebuildScoreTotals(tx, cohort.id);
  return result;
}

/** When the cohort posts next; null when it is paused or not scheduled. */
async function nextPostOf(ctx: AppContext, cohort: CohortRow): Promise<Date | null> {
  if (cohort.paused || !cohort.postTime || !cohort.timeZone || !cohort.channelId) return null;
  const now = ctx.now();
  const today = localDateOf(now, cohort.timeZone);
  const postedToday = Boolean(await dailyPromptOn(ctx.db, cohort.id, today));
  const lastDate = await lastPostedDate(ctx.db, cohort.id);
  // The first date that may still get a post: not before startsOn, and after the last date posted (in any zone).
  const earliest = [
    postedToday ? addLocalDays(today, 1) : today,
    cohort.startsOn ?? today,
    lastDate ? addLocalDays(lastDate, 1) : today,
  ]
    .sort()
    .at(-1)!;
  return firstPostFrom(now, { time: cohort.postTime, timeZone: cohort.timeZone, days: cohort.days }, earliest);
}

/** When the first post on or after `earliest` happens: at once if that is today and its time has passed. */
function firstPostFrom(now: Date, schedule: DailySchedule, earliest: string): Date {
  let day = earliest;
  while (!isScheduledDay(day, schedule.days)) day = addLocalDays(day, 1);
  const at = postInstantFor(day, schedule);
  return at > now ? at : new Date(now.getTime());
}
