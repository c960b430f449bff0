import { eq, isNull, or, sql } from 'drizzle-orm';
import { hasMetadata } from '../../quiz/bank-metadata.ts';
import { parseBank, type BankQuestion } from '../../quiz/bank.ts';
import { normalizeQuestionText, parseExercise } from '../../quiz/exercise.ts';
import type { Db } from '../client.ts';
import { UserError } from '../../errors.ts';
import { questions } from '../schema.ts';
import { canonicalJson, type QuestionRow } from './questions.ts';

/** A bank is a course's worth of questions; a file far beyond that is a mistake, and would hold the database. */
export const MAX_IMPORT_QUESTIONS = 500;

export interface ImportReport {
  /** Questions the file holds that could be read (before checking the bank). */
  found: number;
  added: string[];
  updated: string[];
  unchanged: string[];
  skipped: { question: string; reason: string }[];
}


/**
 * Imports an exercise file into the guild's own questions, in one transaction. The slug is a question's
 * identity: the file's own slug (`<!-- slug: ... -->`) or one made from the text. A question already in the
 * guild's bank under another slug (the shipped bank included) is skipped, so a cohort never gets the same
 * question twice; with the same slug it is an update of the guild's copy. Importing a file again changes nothing.
 * Questions without metadata take the file's `#` title as topic (a plain exercise sheet names its week or unit).
 */
export async function importQuestions(
  db: Db,
  guildId: string | null,
  markdown: string,
  options: { defaultTopic?: string } = {},
): Promise<ImportReport> {
  const exercise = parseExercise(markdown);
  const parsed = parseBank(markdown, { defaultTopic: options.defaultTopic ?? exercise.title ?? 'Imported' });
  const withOwnSlug = new Set(exercise.items.filter((item) => hasMetadata(item.answer)).map((item) => normalizeQuestionText(item.question)));
  const report: ImportReport = { found: parsed.questions.length, added: [], updated: [], unchanged: [], skipped: [...parsed.skipped] };
  if (parsed.questions.length === 0) return report;
  if (parsed.questions.length > MAX_IMPORT_QUESTIONS) {
    throw new UserError(`The file has ${parsed.questions.length} questions; at most ${MAX_IMPORT_QUESTIONS} can be imported at once. Nothing was imported.`);
  }
  return db.transaction(async (tx) => {
    // Two imports in one guild at once would race for the same slugs: take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`questions-import:${guildId ?? 'shipped'}`}))`);
    // A guild sees the shipped bank and its own questions; the shipped scope (null, from the CLI) only itself.
    const scope = guildId === null ? isNull(questions.guildId) : or(isNull(questions.guildId), eq(questions.guildId, guildId));
    const visible = await tx.select().from(questions).where(scope);
    const byText = new Map<string, QuestionRow>();
    for (const q of visible) if (!byText.has(normalizeQuestionText(q.text))) byText.set(normalizeQuestionText(q.text), q);
    let position = Math.max(guildId === null ? -1 : 999, ...visible.filter((q) => q.guildId === guildId).map((q) => q.position));
    for (const question of parsed.questions) {
      const text = normalizeQuestionText(question.text);
      const own = visible.find((q) => q.guildId === guildId && q.slug === question.slug);
      const sameText = own && normalizeQuestionText(own.text) === text ? own : byText.get(text);
      const slugTaken = `the slug "${question.slug}" is taken by another question: give this one its own slug`;
      const skip = (reason: string) => report.skipped.push({ question: question.text, reason });
      if (sameText && sameText !== own) skip(`already in the bank as ${sameText.slug}`);
      else if (!own && visible.some((q) => q.slug === question.slug)) skip(slugTaken);
      // A slug made from the text may match a different question's (slugs are cut at 64 characters).
      else if (own && !sameText && !withOwnSlug.has(text)) skip(slugTaken);
      else if (!own) {
        position += 1;
        const [row] = await tx.insert(questions).values({ guildId, slug: question.slug, ...fields(question), position, imported: true }).returning();
        visible.push(row!);
        byText.set(text, row!);
        report.added.push(question.slug);
      } else if (differs(own, question)) {
        await tx.update(questions).set({ ...fields(question), updatedAt: new Date() }).where(eq(questions.id, own.id));
        Object.assign(own, fields(question));
        report.updated.push(question.slug);
      } else {
        report.unchanged.push(question.slug);
      }
    }
    return report;
  });
}

function fields(question: BankQuestion) {
  return { topic: question.topic, text: question.text, referenceAnswer: question.referenceAnswer, rubric: question.rubric, active: true };
}

function differs(row: QuestionRow, question: BankQuestion): boolean {
  const next = fields(question);
  return (Object.keys(next) as (keyof typeof next)[]).some((key) => canonicalJson(row[key]) !== canonicalJson(next[key]));
}
