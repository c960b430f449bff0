import { RESTJSONErrorCodes, DiscordAPIError, type MessageCreateOptions } from 'discord.js';
import type { AppContext } from '../context.ts';
import { markNotified, type GradeRow } from '../db/repo/grading.ts';
import { answerPointsTotal } from '../db/repo/points.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { markDecisionNotified, type RegradeRequestRow } from '../db/repo/regrades.ts';
import type { Grade } from '../quiz/types.ts';
import { regradeDecision, regradeRow } from './render/regrade.ts';
import { gradeNotice } from './render/review.ts';

/**
 * Sends a student a direct message; false if it could not be delivered. Closed DMs (50007) are expected and
 * logged as such; anything else is a warning. The caller's record stands either way, and /me shows it instead.
 */
async function sendDirectMessage(
  ctx: AppContext,
  userId: string,
  payload: MessageCreateOptions,
  log: Record<string, unknown>,
): Promise<boolean> {
  try {
    const user = await ctx.client.users.fetch(userId);
    await user.send(payload);
    return true;
  } catch (error) {
    const closed = error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
    ctx.logger[closed ? 'info' : 'warn'](
      { err: closed ? undefined : error, ...log },
      closed ? 'student DMs closed; shown in /me' : 'direct message to a student failed',
    );
    return false;
  }
}

/**
 * Tells the student their grade (and feedback) by direct message, with an Ask for a regrade button. The grade
 * stands whatever happens here: closed DMs or any failure leave it unnotified, and `/me` shows it instead.
 */
export async function notifyGrade(
  ctx: AppContext,
  input: { answer: { id: number; userId: string; promptId: number }; grade: GradeRow; guildName: string },
): Promise<boolean> {
  try {
    const found = await findPromptById(ctx.db, input.answer.promptId);
    const points = await answerPointsTotal(ctx.db, input.answer.id);
    const notice = gradeNotice({
      grade: input.grade.grade,
      question: found?.question.text ?? '',
      feedback: input.grade.feedback,
      points,
      guildName: input.guildName,
    });
    const sent = await sendDirectMessage(
      ctx,
      input.answer.userId,
      { ...notice, components: [regradeRow([{ answerId: input.answer.id, label: 'Ask for a regrade' }])] },
      { answerId: input.answer.id },
    );
    if (sent) await markNotified(ctx.db, input.answer.id, ctx.now());
    return sent;
  } catch (error) {
    ctx.logger.warn({ err: error, answerId: input.answer.id }, 'grade DM failed');
    return false;
  }
}

/** Tells the student the decision on their regrade request; if it cannot be delivered, `/me` shows it. */
export async function notifyRegradeDecision(
  ctx: AppContext,
  input: {
    request: RegradeRequestRow;
    previous: Grade;
    grade: Grade;
    question: string;
    pointsAdded: number;
    guildName: string;
  },
): Promise<boolean> {
  const { request } = input;
  try {
    const payload = regradeDecision({
      outcome: request.outcome ?? 'kept',
      previous: input.previous,
      grade: input.grade,
      question: input.question,
      comment: request.comment,
      pointsAdded: input.pointsAdded,
      guildName: input.guildName,
    });
    const sent = await sendDirectMessage(ctx, request.userId, payload, {
      answerId: request.answerId,
      regradeRequestId: request.id,
    });
    if (sent) await markDecisionNotified(ctx.db, request.id, ctx.now());
    return sent;
  } catch (error) {
    ctx.logger.warn({ err: error, regradeRequestId: request.id }, 'regrade decision DM failed');
    return false;
  }
}
