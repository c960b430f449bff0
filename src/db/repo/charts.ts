import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { periodKey } from '../../quiz/periods.ts';
import { addLocalDays } from '../../quiz/schedule.ts';
import type { Queryable } from '../client.ts';
import { answers, pointsLedger, questions, scoreTotals } from '../schema.ts';
import { guildStats, type DailyParticipation } from './stats.ts';

/** One question's answers in this guild by outcome: the instructor's grade, or none yet. */
export interface QuestionOutcomes {
  slug: string;
  correct: number;
  partial: number;
  incorrect: number;
  ungraded: number;
}

export interface StatsChartData {
  /** Every question /stats lists, in its order. */
  questions: QuestionOutcomes[];
  /** Answers to each of the last posted daily questions, oldest first. */
  daily: DailyParticipation[];
}

const CHART_DAILY_POSTS = 14;

/** What the /stats chart draws (of the server, or of one cohort), with /stats's own definitions (guildStats): the same figures as its text. */
export async function statsChartData(
  db: Queryable,
  guildId: string,
  cohortId: number | null = null,
): Promise<StatsChartData> {
  const stats = await guildStats(db, guildId, { cohortId, dailyPosts: CHART_DAILY_POSTS, weakest: 0 });
  return {
    questions: stats.questions.map((q) => ({
      slug: q.slug,
      correct: q.correct,
      partial: q.partial,
      incorrect: q.incorrect,
      ungraded: q.answers - q.graded,
    })),
    daily: stats.daily,
  };
}

interface WeekPoints {
  /** The week's Monday, a local date in the guild's time zone. */
  weekStart: string;
  points: number;
}

interface TopicPoints {
  topic: string;
  points: number;
}

export interface ProgressChartData {
  /** The last weeks, oldest first, the current one last; weeks without points count 0. */
  weeks: WeekPoints[];
  /** Every topic the student has points in, most points first. */
  topics: TopicPoints[];
}

const CHART_WEEKS = 8;

/**
 * What the /me chart draws for one student in one cohort: points per ISO week, read from the running totals that
 * the leaderboard's "this week" uses (weeks in the cohort's time zone), and points per topic from the ledger.
 */
export async function progressChartData(
  db: Queryable,
  input: { cohortId: number; userId: string; now: Date; timeZone: string; weeks?: number },
): Promise<ProgressChartData> {
  const { cohortId, userId } = input;
  const thisMonday = periodKey(input.now, 'week', input.timeZone).slice('week:'.length);
  const mondays = Array.from({ length: input.weeks ?? CHART_WEEKS }, (_, i) =>
    addLocalDays(thisMonday, -7 * i),
  ).reverse();
  const [weekRows, topics] = await Promise.all([
    db
      .select({ period: scoreTotals.period, points: scoreTotals.points })
      .from(scoreTotals)
      .where(
        and(
          eq(scoreTotals.cohortId, cohortId),
          eq(scoreTotals.userId, userId),
          inArray(
            scoreTotals.period,
            mondays.map((day) => `week:${day}`),
          ),
        ),
      ),
    db
      .select({ topic: questions.topic, points: sql<number>`sum(${pointsLedger.points})::int` })
      .from(pointsLedger)
      .innerJoin(answers, eq(answers.id, pointsLedger.answerId))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(eq(pointsLedger.cohortId, cohortId), eq(pointsLedger.userId, userId)))
      .groupBy(questions.topic)
      .orderBy(desc(sql`sum(${pointsLedger.points})`), asc(questions.topic)),
  ]);
  const byWeek = new Map(weekRows.map((row) => [row.period, row.points]));
  return { weeks: mondays.map((weekStart) => ({ weekStart, points: byWeek.get(`week:${weekStart}`) ?? 0 })), topics };
}
