import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Rubric } from '../quiz/grading/rubric.ts';
import { POINT_REASONS } from '../quiz/points.ts';
import { DAY_RULES } from '../quiz/schedule.ts';
import type { SrsCard } from '../quiz/spacedRepetition.ts';
import { ANSWER_KINDS, GRADES, REGRADE_OUTCOMES, REMINDER_DELIVERIES } from '../quiz/types.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Server-wide settings: the instructor role. Each cohort has its own schedule (see `cohorts`). Snowflakes are text. */
export const guildSettings = pgTable('guild_settings', {
  guildId: text('guild_id').primaryKey(),
  instructorRoleId: text('instructor_role_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A cohort: its channel, optional student role, its own daily schedule, rotation and leaderboard. A guild has one
 * or more; the schedule columns are those a guild had before cohorts. A removed cohort (`removed_at`) keeps its
 * data, exportable, but posts nothing and frees its name and channel.
 */
export const cohorts = pgTable(
  'cohorts',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    name: text('name').notNull(),
    channelId: text('channel_id'),
    /** Members of this role are the cohort's students; null: anyone in the server. */
    studentRoleId: text('student_role_id'),
    /** Members of this role are instructors of this cohort, besides the server's instructors. */
    instructorRoleId: text('instructor_role_id'),
    postTime: text('post_time'),
    timeZone: text('time_zone'),
    windowHours: integer('window_hours').notNull().default(24),
    days: text('days', { enum: DAY_RULES }).notNull().default('every'),
    paused: boolean('paused').notNull().default(false),
    /** Why the bot paused the schedule itself (Discord refused the channel for good), with what to do; null otherwise. */
    pausedReason: text('paused_reason'),
    /** When an instructor was told of `pausedReason` (by DM to the owner, or in a /setup or /daily reply): told once. */
    pauseNoticeAt: timestamp('pause_notice_at', { withTimezone: true }),
    /** First local date the schedule applies to: set after today's time has passed, it avoids an instant post. */
    startsOn: text('starts_on'),
    /** How long before a daily post closes the reminder goes to opted-in students who have not answered; 0: none. */
    remindHours: integer('remind_hours').notNull().default(3),
    /** The topics its daily questions come from; null: every topic. */
    topics: jsonb('topics').$type<string[]>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('cohorts_guild_name')
      .on(t.guildId, sql`lower(${t.name})`)
      .where(sql`${t.removedAt} is null`),
    uniqueIndex('cohorts_guild_channel')
      .on(t.guildId, t.channelId)
      .where(sql`${t.removedAt} is null`),
    index('cohorts_guild').on(t.guildId, t.id),
  ],
);

/** The question bank. `guild_id` null: the shipped bank, shared by every guild; otherwise imported by that guild. */
export const questions = pgTable(
  'questions',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id'),
    slug: text('slug').notNull(),
    topic: text('topic').notNull(),
    text: text('text').notNull(),
    referenceAnswer: text('reference_answer'),
    rubric: jsonb('rubric').$type<Rubric>(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    /** Added by an import, not by the shipped bank file, so syncing that file never retires it. */
    imported: boolean('imported').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('questions_guild_slug').on(t.guildId, t.slug).nullsNotDistinct()],
);

/**
 * Each posing of a question: a daily post in a cohort's channel, or one /quiz question shown to one student.
 * The unique (cohort, local date) key makes the daily post exactly-once; practice rows have no local date.
 */
export const prompts = pgTable(
  'prompts',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    cohortId: integer('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    kind: text('kind', { enum: ANSWER_KINDS }).notNull(),
    userId: text('user_id'),
    localDate: text('local_date'),
    channelId: text('channel_id'),
    messageId: text('message_id'),
    /** When a process took the job of posting; a claim whose post never got its message id may be retried later. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    revealMessageId: text('reveal_message_id'),
    revealClaimedAt: timestamp('reveal_claimed_at', { withTimezone: true }),
    /** Attempts to send the post and the reveal: each retry waits twice as long as the last, up to a bound. */
    postAttempts: integer('post_attempts').notNull().default(0),
    revealAttempts: integer('reveal_attempts').notNull().default(0),
    /**
     * The end of the answer-count refresh window a process claimed (on the database's clock, the one every process
     * shares): answers before it leave the refresh to that process; the first answer after it claims the next.
     */
    refreshDueAt: timestamp('refresh_due_at', { withTimezone: true }),
  },
  (t) => [
    unique('prompts_daily_once').on(t.cohortId, t.localDate),
    check('prompts_kind_shape', sql`(${t.kind} = 'daily') = (${t.localDate} is not null)`),
    index('prompts_cohort_kind').on(t.cohortId, t.kind, t.id),
    index('prompts_user_practice').on(t.guildId, t.userId, t.id),
    index('prompts_open_daily')
      .on(t.closesAt)
      .where(sql`${t.kind} = 'daily' and ${t.closedAt} is null`),
  ],
);

/** A student's answer to one posing: at most one per student per prompt. */
export const answers = pgTable(
  'answers',
  {
    id: serial('id').primaryKey(),
    promptId: integer('prompt_id')
      .notNull()
      .references(() => prompts.id),
    guildId: text('guild_id').notNull(),
    cohortId: integer('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    kind: text('kind', { enum: ANSWER_KINDS }).notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    body: text('body').notNull(),
    suggestedGrade: text('suggested_grade', { enum: GRADES }),
    matchedPoints: jsonb('matched_points').$type<string[]>().notNull().default([]),
    missingPoints: jsonb('missing_points').$type<string[]>().notNull().default([]),
    misconceptions: jsonb('misconceptions').$type<string[]>().notNull().default([]),
    firstForQuestion: boolean('first_for_question').notNull(),
    starred: boolean('starred').notNull().default(false),
    /** Kept in step with the grades table in the grading transaction, so the review queue is one index scan. */
    graded: boolean('graded').notNull().default(false),
    /** Feedback an instructor wrote before choosing the grade; it moves to the grade with it. */
    feedbackDraft: text('feedback_draft'),
    createdAt: createdAt(),
    /** 1 for the answer as first submitted; each edit before the deadline adds one (earlier ones: answer_versions). */
    version: integer('version').notNull().default(1),
    /** When the current version was submitted by an edit; null if never edited. */
    editedAt: timestamp('edited_at', { withTimezone: true }),
    /** The student asked for a regrade and no instructor has decided yet; kept in step with regrade_requests. */
    regradeOpen: boolean('regrade_open').notNull().default(false),
  },
  (t) => [
    unique('answers_once_per_prompt').on(t.promptId, t.userId),
    // Only one answer per student and question can be the first, so first-time practice points are given once.
    uniqueIndex('answers_first_once')
      .on(t.guildId, t.userId, t.questionId)
      .where(sql`${t.firstForQuestion}`),
    index('answers_guild_user').on(t.guildId, t.userId, t.questionId),
    index('answers_guild_question').on(t.guildId, t.questionId),
    index('answers_guild_id').on(t.guildId, t.id),
    index('answers_review_queue')
      .on(t.guildId, t.id)
      .where(sql`not ${t.graded}`),
    // The /review queue: answers to grade and graded answers whose student asked for a regrade.
    index('answers_review_or_regrade')
      .on(t.guildId, t.id)
      .where(sql`not ${t.graded} or ${t.regradeOpen}`),
    // `/review kind: regrade requests`: the few open requests, without walking every ungraded answer.
    index('answers_regrade_open')
      .on(t.guildId, t.id)
      .where(sql`${t.regradeOpen}`),
    // `/review cohort:`: one cohort's queue.
    index('answers_cohort_review_or_regrade')
      .on(t.cohortId, t.id)
      .where(sql`not ${t.graded} or ${t.regradeOpen}`),
    index('answers_cohort_user').on(t.cohortId, t.userId),
  ],
);

/**
 * The earlier versions of an edited daily answer, kept as they were: an edit moves the answer's current text here
 * (as `version`) and takes its place. The key (answer, version) stores an edit once, whatever double submit.
 */
export const answerVersions = pgTable(
  'answer_versions',
  {
    answerId: integer('answer_id')
      .notNull()
      .references(() => answers.id),
    version: integer('version').notNull(),
    guildId: text('guild_id').notNull(),
    body: text('body').notNull(),
    suggestedGrade: text('suggested_grade', { enum: GRADES }),
    /** When this version was submitted (the answer's first submission, or an earlier edit). */
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    /** When the next version replaced it. */
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.version] })],
);

/** The instructor's grade of an answer: one per answer; a regrade updates it. */
export const grades = pgTable(
  'grades',
  {
    answerId: integer('answer_id')
      .primaryKey()
      .references(() => answers.id),
    guildId: text('guild_id').notNull(),
    grade: text('grade', { enum: GRADES }).notNull(),
    graderId: text('grader_id').notNull(),
    feedback: text('feedback'),
    gradedAt: timestamp('graded_at', { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    seenAt: timestamp('seen_at', { withTimezone: true }),
  },
  (t) => [index('grades_guild').on(t.guildId)],
);

/**
 * A student's request to look at a grade again, with their reason, and the instructor's decision: the grade kept,
 * or changed (`newGrade`), with an optional comment. At most one open request per answer (the partial unique key).
 */
export const regradeRequests = pgTable(
  'regrade_requests',
  {
    id: serial('id').primaryKey(),
    answerId: integer('answer_id')
      .notNull()
      .references(() => answers.id),
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    reason: text('reason').notNull(),
    /** The grade the student asked about. */
    grade: text('grade', { enum: GRADES }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    outcome: text('outcome', { enum: REGRADE_OUTCOMES }),
    newGrade: text('new_grade', { enum: GRADES }),
    comment: text('comment'),
    /** When the decision reached the student by direct message; `seen_at` when /me showed it instead. */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    seenAt: timestamp('seen_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('regrade_one_open')
      .on(t.answerId)
      .where(sql`${t.decidedAt} is null`),
    index('regrade_requests_answer').on(t.answerId, t.id),
    index('regrade_requests_student').on(t.guildId, t.userId),
  ],
);

/** Points are rows with a reason; every total is a sum over this ledger. */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    guildId: text('guild_id').notNull(),
    cohortId: integer('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    userId: text('user_id').notNull(),
    answerId: integer('answer_id').references(() => answers.id),
    reason: text('reason', { enum: POINT_REASONS }).notNull(),
    points: integer('points').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_cohort_user').on(t.cohortId, t.userId, t.createdAt),
    index('ledger_answer').on(t.answerId),
    uniqueIndex('ledger_one_answer_point')
      .on(t.answerId)
      .where(sql`${t.reason} = 'daily_answer'`),
  ],
);

/**
 * Running totals per cohort, period and student ('all', 'week:<local Monday>', 'month:<YYYY-MM>' in the
 * cohort's time zone), kept by a trigger on every ledger insert, so a leaderboard is one index scan.
 * `reached_at` is when the total last changed: ties go to whoever reached the score first.
 */
export const scoreTotals = pgTable(
  'score_totals',
  {
    guildId: text('guild_id').notNull(),
    cohortId: integer('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    period: text('period').notNull(),
    userId: text('user_id').notNull(),
    points: integer('points').notNull(),
    reachedAt: timestamp('reached_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.period, t.userId] }),
    index('score_totals_rank').on(t.cohortId, t.period, t.points.desc(), t.reachedAt, t.userId),
  ],
);

/** Each student's spaced-repetition card per question, recomputed from their rated answers. */
export const studyCards = pgTable(
  'study_cards',
  {
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    card: jsonb('card').$type<SrsCard>(),
    due: timestamp('due', { withTimezone: true }),
    lastAnsweredAt: timestamp('last_answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId, t.questionId] })],
);

/**
 * An instructor's offer to accept the confident suggestions of one question at once: the answers and grades
 * shown to them, confirmed at most once (the conditional update on `confirmed_at` makes a double click a no-op).
 */
export const bulkAcceptances = pgTable(
  'bulk_acceptances',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    instructorId: text('instructor_id').notNull(),
    /** `version`: the answer's version shown, so an edit made since is not graded unseen. */
    items: jsonb('items')
      .$type<{ answerId: number; grade: 'correct' | 'partial' | 'incorrect'; version?: number }[]>()
      .notNull(),
    createdAt: createdAt(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  },
  (t) => [index('bulk_acceptances_guild').on(t.guildId, t.id)],
);

/** A student's choice to be reminded of daily questions they have not answered, in one cohort. */
export const reminderPreferences = pgTable(
  'reminder_preferences',
  {
    guildId: text('guild_id').notNull(),
    cohortId: integer('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    userId: text('user_id').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    /** A mention in the daily channel, or a direct message. */
    delivery: text('delivery', { enum: REMINDER_DELIVERIES }).notNull().default('channel'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.userId] }),
    index('reminder_preferences_enabled')
      .on(t.cohortId)
      .where(sql`${t.enabled}`),
  ],
);

/**
 * The reminder of one daily post: the row is its claim, so it is sent once. The recipients are fixed when first
 * claimed; `dms_done` and `channel_parts_done` record what reached Discord, so a retaken claim sends only the rest
 * (the message in flight at a crash is covered by its nonce). `dms_refused`: students whose DMs are closed, mentioned
 * in the channel instead (direct messages go first, so the channel's messages are the same on every attempt).
 */
export const dailyReminders = pgTable('daily_reminders', {
  promptId: integer('prompt_id')
    .primaryKey()
    .references(() => prompts.id),
  guildId: text('guild_id').notNull(),
  recipients: jsonb('recipients').$type<{ userId: string; delivery: 'channel' | 'dm' }[]>().notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(1),
  channelPartsDone: integer('channel_parts_done').notNull().default(0),
  dmsDone: jsonb('dms_done').$type<string[]>().notNull().default([]),
  dmsRefused: jsonb('dms_refused').$type<string[]>().notNull().default([]),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});
