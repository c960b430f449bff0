import { and, asc, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { answers, grades, prompts, questions } from '../schema.ts';

export interface QuestionStats {
  questionId: number;
  slug: string;
  text: string;
  answers: number;
  graded: number;
  correct: number;
  partial: number;
  incorrect: number;
}

export interface DailyParticipation {
  localDate: string;
  slug: string;
  answers: number;
}

interface TopicStats {
  topic: string;
  graded: number;
  correct: number;
}

export interface GuildStats {
  questions: QuestionStats[];
  /** The last posted daily questions, oldest first. */
  daily: DailyParticipation[];
  /** Topics with the lowest share of correct among graded answers, weakest first. */
  weakestTopics: TopicStats[];
}

const gradeCount = (grade: 'correct' | 'partial' | 'incorrect') =>
  sql<number>`(count(${grades.answerId}) filter (where ${grades.grade} = ${grade}))::int`;

/** Where the server, or with `cohortId` one cohort, stands: per question, the last daily posts, and the weakest topics. */
export async function guildStats(
  db: Queryable,
  guildId: string,
  options: { cohortId?: number | null; dailyPosts?: number; weakest?: number } = {},
): Promise<GuildStats> {
  const answersHere = and(
    eq(answers.guildId, guildId),
    options.cohortId == null ? undefined : eq(answers.cohortId, options.cohortId),
  );
  const promptsHere = and(
    eq(prompts.guildId, guildId),
    options.cohortId == null ? undefined : eq(prompts.cohortId, options.cohortId),
  );
  const [perQuestion, daily, weakestTopics] = await Promise.all([
    // Every question the guild can be asked, plus retired ones that still have answers here.
    db
      .select({
        questionId: questions.id,
        slug: questions.slug,
        text: questions.text,
        answers: sql<number>`count(${answers.id})::int`,
        graded: sql<number>`count(${grades.answerId})::int`,
        correct: gradeCount('correct'),
        partial: gradeCount('partial'),
        incorrect: gradeCount('incorrect'),
      })
      .from(questions)
      .leftJoin(answers, and(eq(answers.questionId, questions.id), answersHere))
      .leftJoin(grades, eq(grades.answerId, answers.id))
      .where(or(isNull(questions.guildId), eq(questions.guildId, guildId)))
      .groupBy(questions.id)
      .having(sql`bool_or(${questions.active}) or count(${answers.id}) > 0`)
      .orderBy(asc(questions.position), asc(questions.id)),
    db
      .select({
        localDate: sql<string>`${prompts.localDate}`,
        slug: questions.slug,
        answers: sql<number>`count(${answers.id})::int`,
      })
      .from(prompts)
      .innerJoin(questions, eq(questions.id, prompts.questionId))
      .leftJoin(answers, eq(answers.promptId, prompts.id))
      .where(and(promptsHere, eq(prompts.kind, 'daily'), isNotNull(prompts.messageId)))
      .groupBy(prompts.id, questions.slug)
      .orderBy(desc(prompts.localDate))
      .limit(options.dailyPosts ?? 7),
    db
      .select({ topic: questions.topic, graded: sql<number>`count(*)::int`, correct: gradeCount('correct') })
      .from(answers)
      .innerJoin(grades, eq(grades.answerId, answers.id))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(answersHere)
      .groupBy(questions.topic)
      // Lowest share first; among equals the topic with more graded answers is the surer weakness.
      .orderBy(
        sql`count(*) filter (where ${grades.grade} = 'correct')::float8 / count(*)`,
        desc(sql`count(*)`),
        asc(questions.topic),
      )
      .limit(options.weakest ?? 3),
  ]);
  return { questions: perQuestion, daily: daily.reverse(), weakestTopics };
}
