import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { BankQuestion } from '../../quiz/bank/bank.ts';
import type { Queryable } from '../client.ts';
import { questions } from '../schema.ts';

export type QuestionRow = typeof questions.$inferSelect;

export interface SyncReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  retired: string[];
}

/** Questions a guild can see: the shipped bank and its own imports. */
const visibleTo = (guildId: string) => or(isNull(questions.guildId), eq(questions.guildId, guildId));
const inScope = (guildId: string | null) =>
  guildId === null ? isNull(questions.guildId) : eq(questions.guildId, guildId);

/**
 * Brings the stored questions of one scope (the shipped bank: null, or a guild's imports) in line with `bank`.
 * Idempotent: unchanged questions are not written. With `retireMissing`, questions no longer in the bank are
 * retired (kept, with their answers, but never asked again).
 */
export async function syncQuestions(
  db: Queryable,
  guildId: string | null,
  bank: BankQuestion[],
  options: { retireMissing: boolean },
): Promise<SyncReport> {
  const report: SyncReport = { added: [], updated: [], unchanged: [], retired: [] };
  const existing = new Map((await db.select().from(questions).where(inScope(guildId))).map((row) => [row.slug, row]));
  const basePosition = guildId === null ? 0 : 1000;
  for (const [index, question] of bank.entries()) {
    const values = {
      topic: question.topic,
      text: question.text,
      referenceAnswer: question.referenceAnswer,
      rubric: question.rubric,
      position: basePosition + index,
      active: true,
    };
    const row = existing.get(question.slug);
    existing.delete(question.slug);
    if (!row) {
      await db.insert(questions).values({ guildId, slug: question.slug, ...values });
      report.added.push(question.slug);
    } else if (differs(row, values)) {
      await db
        .update(questions)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(questions.id, row.id));
      report.updated.push(question.slug);
    } else {
      report.unchanged.push(question.slug);
    }
  }
  if (options.retireMissing) {
    for (const row of existing.values()) {
      if (!row.active || row.imported) continue;
      await db.update(questions).set({ active: false, updatedAt: new Date() }).where(eq(questions.id, row.id));
      report.retired.push(row.slug);
    }
  }
  return report;
}

function differs(
  row: QuestionRow,
  values: Omit<QuestionRow, 'id' | 'guildId' | 'slug' | 'imported' | 'createdAt' | 'updatedAt'>,
): boolean {
  return (Object.keys(values) as (keyof typeof values)[]).some(
    (key) => canonicalJson(row[key]) !== canonicalJson(values[key]),
  );
}

/** JSON with sorted keys: jsonb does not keep key order, so a plain stringify would see changes that are not there. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

export function listQuestions(
  db: Queryable,
  guildId: string,
  options: { activeOnly: boolean },
): Promise<QuestionRow[]> {
  const where = options.activeOnly ? and(visibleTo(guildId), eq(questions.active, true)) : visibleTo(guildId);
  return db.select().from(questions).where(where).orderBy(asc(questions.position), asc(questions.id));
}

/** The distinct topics of the questions a guild can be asked, in bank order. */
export async function activeTopics(db: Queryable, guildId: string): Promise<string[]> {
  const rows = await listQuestions(db, guildId, { activeOnly: true });
  return [...new Set(rows.map((row) => row.topic))];
}

/** The shared bank (shipped and imported from the command line), for `npm run questions -- list`. */
export function listBankQuestions(db: Queryable): Promise<QuestionRow[]> {
  return db
    .select()
    .from(questions)
    .where(isNull(questions.guildId))
    .orderBy(asc(questions.position), asc(questions.id));
}
