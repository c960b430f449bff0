import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { dailyStreaks } from '../../quiz/streaks.ts';
import type { Grade } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, grades, pointsLedger, prompts, questions, studyCards } from '../schema.ts';
import { rankStandings, type Standing } from './leaderboard.ts';

export interface TopicGrades {
  topic: string;
  graded: number;
  correct: number;
  partial: number;
}

interface UnseenGrade {
  answerId: number;
  question: string;
  grade: Grade;
  feedback: string | null;
  gradedAt: Date;
}

export interface Progress {
  points: { week: number; allTime: number };
  /** All-time standing in the cohort; null while the student has no points there. */
  rank: Standing | null;
  streak: { current: number; best: number };
  answers: number;
  topics: TopicGrades[];
  due: { count: number; questions: string[] };
  unseen: { count: number; grades: UnseenGrade[] };
}

const FEW = 3;
const UNSEEN_SHOWN = 5;

/**
 * Everything /me shows, for one student in one cohort: points, rank, streak, answers, grades and unseen grades are
 * the cohort's; questions due for practice are the student's in the whole server. Each part is one small query.
 */
export async function progressOf(
  db: Queryable,
  input: { guildId: string; cohortId: number; userId: string; now: Date; weekStart: Date },
): Promise<Progress> {
  const { guildId, cohortId, userId, now } = input;
  const byStudent = and(eq(answers.cohortId, cohortId), eq(answers.userId, userId));
  const [[points], standing, posts, [given], topics, due, unseen] = await Promise.all([
    db
      .select({
        allTime: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int`,
        week: sql<number>`coalesce(sum(${pointsLedger.points}) filter (where ${gte(pointsLedger.createdAt, input.weekStart)}), 0)::int`,
      })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.cohortId, cohortId), eq(pointsLedger.userId, userId))),
    rankStandings(db, cohortId, { period: 'all', userId, limit: 0 }),
    // Every daily post of the cohort in date order, answered or not by this student: the streak's days.
    db
      .select({
        answered: sql<boolean>`${answers.id} is not null`,
        closed: sql<boolean>`(${prompts.closedAt} is not null or coalesce(${lte(prompts.closesAt, now)}, false))`,
      })
      .from(prompts)
      .leftJoin(answers, and(eq(answers.promptId, prompts.id), eq(answers.userId, userId)))
      .where(and(eq(prompts.cohortId, cohortId), eq(prompts.kind, 'daily'), isNotNull(prompts.messageId)))
      .orderBy(asc(prompts.localDate)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(answers)
      .where(byStudent),
    db
      .select({
        topic: questions.topic,
        graded: sql<number>`count(*)::int`,
        correct: sql<number>`(count(*) filter (where ${grades.grade} = 'correct'))::int`,
        partial: sql<number>`(count(*) filter (where ${grades.grade} = 'partial'))::int`,
      })
      .from(answers)
      .innerJoin(grades, eq(grades.answerId, answers.id))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(byStudent)
      .groupBy(questions.topic)
      .orderBy(sql`min(${questions.position})`, asc(questions.topic)),
    db
      .select({ text: questions.text, total: sql<number>`(count(*) over ())::int` })
      .from(studyCards)
      .innerJoin(questions, eq(questions.id, studyCards.questionId))
      .where(
        and(
          eq(studyCards.guildId, guildId),
          eq(studyCards.userId, userId),
          lte(studyCards.due, now),
          eq(questions.active, true),
        ),
      )
      .orderBy(asc(studyCards.due), asc(questions.id))
      .limit(FEW),
    db
      .select({
        answerId: grades.answerId,
        question: questions.text,
        grade: grades.grade,
        feedback: grades.feedback,
        gradedAt: grades.gradedAt,
        total: sql<number>`(count(*) over ())::int`,
      })
      .from(grades)
      .innerJoin(answers, eq(answers.id, grades.answerId))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      // Feedback not read yet, or a grade whose direct message could not be delivered.
      .where(and(byStudent, isNull(grades.seenAt), or(isNotNull(grades.feedback), isNull(grades.notifiedAt))))
      .orderBy(desc(grades.gradedAt), desc(grades.answerId))
      .limit(UNSEEN_SHOWN),
  ]);
  return {
    points: { week: points?.week ?? 0, allTime: points?.allTime ?? 0 },
    rank: standing.caller,
    streak: dailyStreaks(posts),
    answers: given?.n ?? 0,
    topics,
    due: { count: due[0]?.total ?? 0, questions: due.map((row) => row.text) },
    unseen: { count: unseen[0]?.total ?? 0, grades: unseen.map(({ total: _total, ...grade }) => grade) },
  };
}

/** Marks grades as seen in /me, once the reply showing them has been sent. */
export async function markGradesSeen(db: Queryable, guildId: string, answerIds: number[], at: Date): Promise<void> {
  if (answerIds.length === 0) return;
  await db
    .update(grades)
    .set({ seenAt: at })
    .where(and(eq(grades.guildId, guildId), inArray(grades.answerId, answerIds), isNull(grades.seenAt)));
}
