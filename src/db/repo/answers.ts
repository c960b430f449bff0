import { and, eq } from 'drizzle-orm';
import type { Suggestion } from '../../quiz/suggest.ts';
import type { Db } from '../client.ts';
import { violatedUniqueConstraint } from '../errors.ts';
import { answers, prompts } from '../schema.ts';
import { settleAnswerPoints } from './points.ts';
import { refreshStudyCard } from './studyCards.ts';

export type AnswerRow = typeof answers.$inferSelect;

export type RecordAnswerResult =
  | { status: 'saved'; answer: AnswerRow; pointsAdded: number }
  | { status: 'duplicate' }
  | { status: 'closed' }
  | { status: 'missing' };

export interface NewAnswer {
  guildId: string;
  promptId: number;
  userId: string;
  userName: string;
  body: string;
  suggestion: Suggestion | null;
  now: Date;
}

/**
 * Stores a student's answer with its points and spaced-repetition update, all in one transaction.
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

async function insertAnswer(tx: Parameters<Parameters<Db['transaction']>[0]>[0], input: NewAnswer): Promise<RecordAnswerResult> {
  const [prompt] = await tx
    .select()
    .from(prompts)
    .where(and(eq(prompts.id, input.promptId), eq(prompts.guildId, input.guildId)))
    .for('share');
  if (!prompt) return { status: 'missing' };
  if (prompt.kind === 'daily' && (prompt.closedAt || (prompt.closesAt && input.now >= prompt.closesAt))) {
    return { status: 'closed' };
  }
  const [earlier] = await tx
    .select({ id: answers.id })
    .from(answers)
    .where(and(eq(answers.guildId, input.guildId), eq(answers.userId, input.userId), eq(answers.questionId, prompt.questionId)))
    .limit(1);
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
      suggestedGrade: input.suggestion?.grade ?? null,
      matchedPoints: input.suggestion?.matched ?? [],
      missingPoints: input.suggestion?.missing ?? [],
      misconceptions: input.suggestion?.misconceptions ?? [],
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
  return { status: 'saved', answer, pointsAdded };
}
