import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Gradable, Suggestion } from '../../quiz/grading/suggest.ts';
import type { Queryable, Tx, Db } from '../client.ts';
import { answers, answerVersions, prompts, questions } from '../schema.ts';
import type { AnswerRow } from './answers.ts';
import { settleAnswerPoints } from './points.ts';
import type { PromptRow } from './prompts.ts';
import { refreshStudyCard } from './studyCards.ts';

/** Why an edit is refused: no such answer here, someone else's, a practice answer, the window closed, already graded. */
export type EditRefusal = 'missing' | 'not-yours' | 'practice' | 'closed' | 'graded';

export type EditableAnswer = { status: 'editable'; answer: AnswerRow; prompt: PromptRow } | { status: EditRefusal };

function refusalOf(
  found: { answer: AnswerRow; prompt: PromptRow } | undefined,
  userId: string,
  now: Date,
): EditRefusal | null {
  if (!found) return 'missing';
  const { answer, prompt } = found;
  if (answer.userId !== userId) return 'not-yours';
  if (answer.kind !== 'daily') return 'practice';
  if (prompt.closedAt || (prompt.closesAt && now >= prompt.closesAt)) return 'closed';
  if (answer.graded) return 'graded';
  return null;
}

async function editableWhere(db: Queryable, where: SQL, userId: string, now: Date): Promise<EditableAnswer> {
  const [found] = await db
    .select({ answer: answers, prompt: prompts })
    .from(answers)
    .innerJoin(prompts, eq(prompts.id, answers.promptId))
    .where(where);
  const refusal = refusalOf(found, userId, now);
  return refusal ? { status: refusal } : { status: 'editable', ...found! };
}

/** The student's own daily answer, while it can still be edited (to fill the Edit form), or why it cannot. */
export function findEditableAnswer(
  db: Queryable,
  input: { guildId: string; answerId: number; userId: string; now: Date },
): Promise<EditableAnswer> {
  return editableWhere(
    db,
    and(eq(answers.id, input.answerId), eq(answers.guildId, input.guildId))!,
    input.userId,
    input.now,
  );
}

/** The student's own answer to a prompt (after a second submit was refused), while it can still be edited. */
export function findOwnAnswer(
  db: Queryable,
  input: { guildId: string; promptId: number; userId: string; now: Date },
): Promise<EditableAnswer> {
  const where = and(
    eq(answers.promptId, input.promptId),
    eq(answers.userId, input.userId),
    eq(answers.guildId, input.guildId),
  )!;
  return editableWhere(db, where, input.userId, input.now);
}

export type EditResult =
  | { status: 'edited'; answer: AnswerRow; prompt: PromptRow }
  /** This edit was already stored (a double submit of the same form). */
  | { status: 'duplicate'; answer: AnswerRow; prompt: PromptRow }
  /** The answer changed since the form was opened (another window): nothing stored. */
  | { status: 'stale'; answer: AnswerRow; prompt: PromptRow }
  | { status: EditRefusal };

export interface AnswerEdit {
  guildId: string;
  answerId: number;
  userId: string;
  /** The version the student's form was filled with: the edit replaces exactly that one. */
  fromVersion: number;
  body: string;
  suggest: (question: Gradable, body: string) => Suggestion | null;
  now: Date;
}

/**
 * Replaces a daily answer's text, keeping the replaced version in answer_versions, in one transaction. What
 * decides is the database: the prompt is held FOR SHARE (closing the question waits, and an edit after the close
 * sees it closed) and the answer FOR UPDATE (a grade in flight finishes first, and the edit then sees it graded).
 * The key (answer, version) stores an edit once: a second submit of the same form finds its version taken.
 * Points stay what the policy says for the answer (an edit adds none); the study card follows the new suggestion.
 */
export async function editAnswer(db: Db, input: AnswerEdit): Promise<EditResult> {
  return db.transaction((tx) => editWithin(tx, input));
}

async function editWithin(tx: Tx, input: AnswerEdit): Promise<EditResult> {
  const [target] = await tx
    .select({ promptId: answers.promptId })
    .from(answers)
    .where(and(eq(answers.id, input.answerId), eq(answers.guildId, input.guildId)));
  if (!target) return { status: 'missing' };
  // Prompt before answer, the order an answer takes them in; grading locks only the answer, closing only the prompt.
  const [prompt] = await tx.select().from(prompts).where(eq(prompts.id, target.promptId)).for('share');
  const [answer] = await tx.select().from(answers).where(eq(answers.id, input.answerId)).for('update');
  const found = prompt && answer ? { prompt, answer } : undefined;
  const refusal = refusalOf(found, input.userId, input.now);
  if (refusal) return { status: refusal };
  if (answer!.version !== input.fromVersion) {
    const same = answer!.version === input.fromVersion + 1 && answer!.body === input.body;
    return { status: same ? 'duplicate' : 'stale', answer: answer!, prompt: prompt! };
  }
  const [kept] = await tx
    .insert(answerVersions)
    .values({
      answerId: answer!.id,
      // The version the form replaced: a second submit of that form finds this key taken.
      version: input.fromVersion,
      guildId: answer!.guildId,
      body: answer!.body,
      suggestedGrade: answer!.suggestedGrade,
      submittedAt: answer!.editedAt ?? answer!.createdAt,
      replacedAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ version: answerVersions.version });
  if (!kept) return { status: 'duplicate', answer: answer!, prompt: prompt! };
  const [question] = await tx.select().from(questions).where(eq(questions.id, answer!.questionId));
  const suggestion = question?.rubric ? input.suggest(question, input.body) : null;
  const [edited] = await tx
    .update(answers)
    .set({
      body: input.body,
      version: sql`${answers.version} + 1`,
      editedAt: input.now,
      suggestedGrade: suggestion?.grade ?? null,
      matchedPoints: suggestion?.matched ?? [],
      missingPoints: suggestion?.missing ?? [],
      misconceptions: suggestion?.misconceptions ?? [],
    })
    .where(and(eq(answers.id, answer!.id), eq(answers.version, input.fromVersion), sql`not ${answers.graded}`))
    .returning();
  if (!edited) throw new Error(`answer ${answer!.id} changed under its row lock`);
  await refreshStudyCard(tx, edited.guildId, edited.userId, edited.questionId);
  await settleAnswerPoints(tx, { ...edited, instructorGrade: null }, { at: input.now });
  return { status: 'edited', answer: edited, prompt: prompt! };
}
