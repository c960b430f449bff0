import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../src/db/client.ts';
import { pointsLedger } from '../../src/db/schema.ts';

/** A student's points: the sum of their ledger rows. */
export async function pointsOfUser(db: Queryable, userId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int` })
    .from(pointsLedger)
    .where(eq(pointsLedger.userId, userId));
  return row!.total;
}
