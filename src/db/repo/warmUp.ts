import { eq, TransactionRollbackError } from 'drizzle-orm';
import { connectionCount, type Db } from '../client.ts';
import { cohorts, prompts, questions } from '../schema.ts';
import { recordAnswer } from './answers.ts';

/** Not a snowflake Discord gives out: the throw-away prompt of the warm-up belongs to no real guild. */
const WARM_UP_GUILD = '0';

/**
 * Runs the answer path (read, then the one write statement with its points and study card) `rounds` times on a
 * throw-away daily prompt (of a throw-away cohort) inside a transaction that is rolled back, so nothing of it stays,
 * once on every pooled connection at the same time. The first students of a burst then do not pay for what is
 * done only once: PGlite compiles its WebAssembly function by function the first time each runs; each PostgreSQL
 * connection is a server process of its own that fills its catalog and plan caches on first use; and V8 compiles
 * the bot's own answer path. (Measured, 1000 answers in 5 s on PostgreSQL: the first answer's handling 106 to 141 ms
 * without it, the first second's p99 314 to 749 ms; see the README's burst figures.)
 */
export async function warmAnswerPath(db: Db, rounds = 40): Promise<void> {
  const [question] = await db.select({ id: questions.id }).from(questions).where(eq(questions.active, true)).limit(1);
  if (!question) return;
  await Promise.all(
    Array.from({ length: connectionCount(db) }, (_, connection) =>
      warmOneConnection(db, question.id, connection, rounds),
    ),
  );
}

/** One transaction, so one connection: the cohort's name is its own so that concurrent warm-ups never wait on each other. */
async function warmOneConnection(db: Db, questionId: number, connection: number, rounds: number): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const [cohort] = await tx
        .insert(cohorts)
        .values({ guildId: WARM_UP_GUILD, name: `warm-up ${connection}` })
        .returning({ id: cohorts.id });
      const [prompt] = await tx
        .insert(prompts)
        .values({
          guildId: WARM_UP_GUILD,
          cohortId: cohort!.id,
          questionId,
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
