import { eq, TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cohorts, prompts, questions } from '../schema.ts';
import { recordAnswer } from './answers.ts';

/** Not a snowflake Discord gives out: the throw-away prompt of the warm-up belongs to no real guild. */
const WARM_UP_GUILD = '0';

/**
 * Runs the answer path (read, then the one write statement with its points and study card) `rounds` times on a
 * throw-away daily prompt (of a throw-away cohort) inside a transaction that is rolled back, so nothing of it stays. The first students
 * of a burst then do not pay for what the database does only once: PGlite compiles its WebAssembly function by
 * function the first time each runs, and both engines fill their plan and catalog caches.
 */
export async function warmAnswerPath(db: Db, rounds = 40): Promise<void> {
  const [question] = await db.select({ id: questions.id }).from(questions).where(eq(questions.active, true)).limit(1);
  if (!question) return;
  try {
    await db.transaction(async (tx) => {
      const [cohort] = await tx
        .insert(cohorts)
        .values({ guildId: WARM_UP_GUILD, name: 'warm-up' })
        .returning({ id: cohorts.id });
      const [prompt] = await tx
        .insert(prompts)
        .values({
          guildId: WARM_UP_GUILD,
          cohortId: cohort!.id,
          questionId: question.id,
          kind: 'daily',
          localDate: '1970-01-01',
        })
        .returning({ id: prompts.id });
      // Together, as a burst comes: they are read together and written in one group (src/db/repo/answers.ts).
      const results = await Promise.all(
        Array.from({ length: rounds }, (_, round) =>
          recordAnswer(tx as unknown as Db, {
            guildId: WARM_UP_GUILD,
            promptId: prompt!.id,
            userId: String(round),
            userName: 'warm-up',
            body: 'warm-up',
            suggest: () => null,
            now: new Date(),
          }),
        ),
      );
      const unsaved = results.find((result) => result.status !== 'saved');
      if (unsaved) throw new Error(`warm-up answer not saved: ${unsaved.status}`);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
}
