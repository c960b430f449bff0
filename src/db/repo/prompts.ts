import { and, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import type { QuestionRow } from './questions.ts';
import { prompts, questions } from '../schema.ts';

export type PromptRow = typeof prompts.$inferSelect;
export interface PromptWithQuestion {
  prompt: PromptRow;
  question: QuestionRow;
}

/** Poses a practice question to one student, in one of their cohorts; the prompt id goes into the Answer button. */
export async function createPracticePrompt(
  db: Queryable,
  input: { guildId: string; cohortId: number; userId: string; questionId: number; now: Date },
): Promise<PromptRow> {
  const { now, ...values } = input;
  const [row] = await db
    .insert(prompts)
    .values({ ...values, kind: 'practice', claimedAt: now, postedAt: now })
    .returning();
  return row!;
}

/** The question of the student's latest practice prompt, so /quiz does not repeat it at once. */
export async function lastPracticeQuestionId(db: Queryable, guildId: string, userId: string): Promise<number | null> {
  const [row] = await db
    .select({ questionId: prompts.questionId })
    .from(prompts)
    .where(and(eq(prompts.guildId, guildId), eq(prompts.userId, userId), eq(prompts.kind, 'practice')))
    .orderBy(desc(prompts.id))
    .limit(1);
  return row?.questionId ?? null;
}

/** A prompt by id alone, for jobs that already know it belongs to them. */
export async function findPromptById(db: Queryable, promptId: number): Promise<PromptWithQuestion | undefined> {
  const [row] = await db
    .select({ prompt: prompts, question: questions })
    .from(prompts)
    .innerJoin(questions, eq(questions.id, prompts.questionId))
    .where(eq(prompts.id, promptId));
  return row;
}
