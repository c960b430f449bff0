import { and, eq, sql } from 'drizzle-orm';
import type { Rubric } from '../../quiz/rubric.ts';
import type { Suggestion } from '../../quiz/suggest.ts';
import type { Db, Tx } from '../client.ts';
import { violatedUniqueConstraint } from '../errors.ts';
import { answers, prompts, questions } from '../schema.ts';
import { settleAnswerPoints } from './points.ts';
import type { PromptRow } from './prompts.ts';
import type { QuestionRow } from './questions.ts';
import { refreshStudyCard } from './studyCards.ts';

export type AnswerRow = typeof answers.$inferSelect;

export type RecordAnswerResult =
  | { status: 'saved'; answer: AnswerRow; prompt: PromptRow; question: QuestionRow; suggestion: Suggestion | null; pointsAdded: number }
  | { status: 'duplicate' | 'closed' | 'missing' | 'not-yours' | 'retired' };

export interface NewAnswer {
  guildId: string;
  promptId: number;
  userId: string;
  userName: string;
  body: string;
  /** The suggested grade, computed inside the transaction from the question's rubric. */
  suggest: (rubric: Rubric, body: string) => Suggestion;
  now: Date;
}

/**
 * Stores a student's answer with its suggestion, points and spaced-repetition update, in one transaction.
 * Exactly once: the unique (prompt, student) key turns a second submit into 'duplicate'. The prompt row
 * is read FOR SHARE, so closing a daily question waits for answers in flight and vice versa.
 */
export async function recordAnswer(db: Db, input: NewAnswer): Promise<RecordAnswerResult> {
  try {
    return await db.transaction((tx) => insertAnswer(tx, input));
  } catch (error) {
    // Two first answers to one question raced (two practice prompts at once): the loser is not the first.
    if (violatedUniqueConstraint(error) !== 'answers_first_once') throw error;
    return db.transaction((tx) => insertAnswer(tx, input));
  }
}

async function insertAnswer(tx: Tx, input: NewAnswer): Promise<RecordAnswerResult> {
  const answeredBefore = tx
    .select({ one: sql`1` })
    .from(answers)
    .where(and(eq(answers.guildId, input.guildId), eq(answers.userId, input.userId), eq(answers.questionId, prompts.questionId)));
  const [found] = await tx
    .select({ prompt: prompts, question: questions, answeredBefore: sql<boolean>`exists(${answeredBefore})` })
    .from(prompts)
    .innerJoin(questions, eq(questions.id, prompts.questionId))
    .where(and(eq(prompts.id, input.promptId), eq(prompts.guildId, input.guildId)))
    .for('share', { of: prompts });
  if (!found) return { status: 'missing' };
  const { prompt, question, answeredBefore: earlier } = found;
  if (prompt.kind === 'practice' && prompt.userId !== input.userId) return { status: 'not-yours' };
  if (!question.active) return { status: 'retired' };
  if (prompt.kind === 'daily' && (prompt.closedAt || (prompt.closesAt && input.now >= prompt.closesAt))) {
    return { status: 'closed' };
  }
  const suggestion = question.rubric ? input.suggest(question.rubric, input.body) : null;
  const [answer] = await tx
    .insert(answers)
    .values({
      promptId: prompt.id,
      guildId: input.guildId,
      questionId: prompt.questionId,
      kind: prompt.kind,
      userId: input.userId,
      userName: input.userName,
      body: input.body,
      suggestedGrade: suggestion?.grade ?? null,
      matchedPoints: suggestion?.matched ?? [],
      missingPoints: suggestion?.missing ?? [],
      misconceptions: suggestion?.misconceptions ?? [],
      firstForQuestion: !earlier,
      createdAt: input.now,
    })
    .onConflictDoNothing({ target: [answers.promptId, answers.userId] })
    .returning();
  if (!answer) return { status: 'duplicate' };
  const pointsAdded = await settleAnswerPoints(tx, { ...answer, instructorGrade: null }, { newAnswer: true, at: input.now });
  // The first answer to a question is its whole history, known without reading it back.
  const history = earlier ? undefined : [{ at: answer.createdAt, grade: answer.suggestedGrade }];
  await refreshStudyCard(tx, input.guildId, input.userId, prompt.questionId, history);
  return { status: 'saved', answer, prompt, question, suggestion, pointsAdded };
}
