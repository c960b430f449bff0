import { eq, sql } from 'drizzle-orm';
import { pointsDelta, pointsTarget, type AnswerForPoints, type PointReason } from '../../quiz/points.ts';
import type { Queryable } from '../client.ts';
import { pointsLedger } from '../schema.ts';

/**
 * Brings the ledger rows of one answer in line with the points policy, inside the caller's transaction
 * (which holds the answer's row lock). Returns the points added now (negative after a downgrade).
 */
export async function settleAnswerPoints(
  tx: Queryable,
  answer: AnswerForPoints & { id: number; guildId: string; cohortId: number; userId: string },
  options: { at?: Date } = {},
): Promise<number> {
  const rows = await tx
    .select({ reason: pointsLedger.reason, points: sql<number>`sum(${pointsLedger.points})::int` })
    .from(pointsLedger)
    .where(eq(pointsLedger.answerId, answer.id))
    .groupBy(pointsLedger.reason);
  const awarded: Partial<Record<PointReason, number>> = Object.fromEntries(rows.map((row) => [row.reason, row.points]));
  const delta = pointsDelta(pointsTarget(answer), awarded);
  if (delta.length > 0) {
    await tx.insert(pointsLedger).values(
      delta.map((row) => ({
        ...row,
        guildId: answer.guildId,
        cohortId: answer.cohortId,
        userId: answer.userId,
        answerId: answer.id,
        createdAt: options.at,
      })),
    );
  }
  return delta.reduce((sum, row) => sum + row.points, 0);
}

export async function answerPointsTotal(db: Queryable, answerId: number): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int` })
    .from(pointsLedger)
    .where(eq(pointsLedger.answerId, answerId));
  return row?.total ?? 0;
}
