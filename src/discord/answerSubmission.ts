import type { ModalSubmitInteraction } from 'discord.js';
import type { AppContext } from '../context.ts';
import { databaseErrorSummary, databaseProblem } from '../db/errors.ts';
import { recordAnswer } from '../db/repo/answers.ts';
import { openDailyQuestionIds } from '../db/repo/daily.ts';
import { UserError } from '../errors.ts';
import { suggestGrade } from '../quiz/grading/suggest.ts';
import { idArg } from './customId.ts';
import { ANSWER_INPUT_ID, ANSWER_MAX_LENGTH } from './render/question.ts';
import { dailyReceipt, practiceReceipt } from './render/receipt.ts';
import type { Responder } from './responder.ts';

export const ANSWER_MESSAGES = {
  invalid: 'This answer form is not valid. Run /quiz again, or use the Answer button of the daily question.',
  blank: 'Your answer is empty. Write a few words and submit again.',
  nul: 'Your answer contains a NUL character, which cannot be stored. Remove it and submit again.',
  tooLong: `Your answer is longer than ${ANSWER_MAX_LENGTH} characters. Shorten it and submit again.`,
  notYours: 'This practice question was given to someone else. Run /quiz for your own.',
  retired: 'This question has been retired from the bank, so answers are no longer taken. Run /quiz for another.',
  closed: 'This question is closed: its answer window has ended, so your answer was not saved.',
  duplicate: 'Your answer to this question was already received. It was not changed.',
  databaseDown: 'Your answer was NOT saved: the database is unavailable. Please submit it again in a minute.',
  storageFull: "Your answer was NOT saved: the bot's disk is full. The operator has been told; please submit it again later.",
  busy: 'Your answer was NOT saved: the database is busy. Please submit it again in a minute.',
  notSaved: 'Your answer was NOT saved because something went wrong on our side. Please submit it again.',
} as const;

const REFUSALS = {
  missing: ANSWER_MESSAGES.invalid,
  'not-yours': ANSWER_MESSAGES.notYours,
  retired: ANSWER_MESSAGES.retired,
  closed: ANSWER_MESSAGES.closed,
  duplicate: ANSWER_MESSAGES.duplicate,
} as const;

/** The Answer modal's submit, for practice and daily questions alike: validate, store, then say "saved". */
export async function submitAnswer(
  interaction: ModalSubmitInteraction,
  ctx: AppContext,
  respond: Responder,
  args: string[],
): Promise<void> {
  const promptId = idArg(args, 0);
  const field = interaction.fields.fields.get(ANSWER_INPUT_ID);
  const body = field && 'value' in field ? String(field.value) : null;
  if (promptId === null || body === null) throw new UserError(ANSWER_MESSAGES.invalid);
  if (body.trim() === '') throw new UserError(ANSWER_MESSAGES.blank);
  if (body.includes('\u0000')) throw new UserError(ANSWER_MESSAGES.nul);
  if (body.length > ANSWER_MAX_LENGTH) throw new UserError(ANSWER_MESSAGES.tooLong);

  const guildId = interaction.guildId!;
  const result = await recordAnswer(ctx.db, {
    guildId,
    promptId,
    userId: interaction.user.id,
    userName: interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.username,
    body,
    suggest: (question, answer) => suggestGrade(question, answer),
    now: ctx.now(),
  }).catch((error: unknown) => {
    const problem = databaseProblem(error);
    const where = { promptId, userId: interaction.user.id, guildId };
    // A full disk is logged once, when it fills; a timeout says which wait gave up; anything else in full.
    if (problem === 'busy') ctx.logger.warn({ ...where, ...databaseErrorSummary(error) }, 'answer not saved: the database was busy');
    else if (problem !== 'storageFull') ctx.logger.error({ ...where, err: error }, 'answer not saved');
    throw new UserError(problem === 'unavailable' ? ANSWER_MESSAGES.databaseDown : problem ? ANSWER_MESSAGES[problem] : ANSWER_MESSAGES.notSaved);
  });
  if (result.status !== 'saved') throw new UserError(REFUSALS[result.status]);
  const { prompt, question, suggestion } = result;
  ctx.logger.info({ guildId, promptId, userId: interaction.user.id, kind: prompt.kind }, 'answer saved');
  if (prompt.kind === 'daily') {
    ctx.dailyAnswerCounts?.changed(prompt.id);
    await respond.send({ embeds: [dailyReceipt({ closesAt: prompt.closesAt, pointsAdded: result.pointsAdded })] });
    return;
  }
  // Read after the answer is stored, so a daily post claimed meanwhile holds the reference back too. The answer
  // is saved whatever happens here: if this read fails, the reference is held back rather than risked.
  const openDaily = await openDailyQuestionIds(ctx.db, guildId, ctx.now()).catch(() => new Map([[question.id, null]]));
  await respond.send({
    embeds: [
      practiceReceipt({
        referenceAnswer: question.referenceAnswer,
        suggestion,
        pointsAdded: result.pointsAdded,
        firstForQuestion: result.answer.firstForQuestion,
        ...(openDaily.has(question.id) ? { heldUntil: openDaily.get(question.id) ?? null } : {}),
      }),
    ],
  });
}

