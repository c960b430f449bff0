import type { Queryable } from '../../src/db/client.ts';
import type { PromptRow } from '../../src/db/repo/prompts.ts';
import { prompts } from '../../src/db/schema.ts';
import { cohortIdOf } from './cohortRows.ts';

/** A daily prompt of the guild's (first) cohort, written directly: for tests that set its dates and message themselves. */
export async function insertDailyPrompt(
  db: Queryable,
  values: Omit<typeof prompts.$inferInsert, 'kind' | 'cohortId'>,
): Promise<PromptRow> {
  const [prompt] = await db
    .insert(prompts)
    .values({ ...values, cohortId: await cohortIdOf(db, values.guildId), kind: 'daily' })
    .returning();
  return prompt!;
}
