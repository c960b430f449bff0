import { RESTJSONErrorCodes, DiscordAPIError } from 'discord.js';
import type { AppContext } from '../context.ts';
import { markNotified, type GradeRow } from '../db/repo/grading.ts';
import { answerPointsTotal } from '../db/repo/points.ts';
import { findPromptById } from '../db/repo/prompts.ts';
import { gradeNotice } from './render/review.ts';

/**
 * Tells the student their grade (and feedback) by direct message. The grade stands whatever happens here:
 * closed DMs (50007) or any failure leave it unnotified, and `/me` shows it instead.
 */
export async function notifyGrade(
  ctx: AppContext,
  input: { answer: { id: number; userId: string; promptId: number }; grade: GradeRow; guildName: string },
): Promise<boolean> {
  try {
    const found = await findPromptById(ctx.db, input.answer.promptId);
    const points = await answerPointsTotal(ctx.db, input.answer.id);
    const user = await ctx.client.users.fetch(input.answer.userId);
    await user.send(
      gradeNotice({
        grade: input.grade.grade,
        question: found?.question.text ?? '',
        feedback: input.grade.feedback,
        points,
        guildName: input.guildName,
      }),
    );
    await markNotified(ctx.db, input.answer.id, ctx.now());
    return true;
  } catch (error) {
    const closed = error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
    ctx.logger[closed ? 'info' : 'warn']({ err: closed ? undefined : error, answerId: input.answer.id }, closed ? 'student DMs closed; grade shown in /me' : 'grade DM failed');
    return false;
  }
}
