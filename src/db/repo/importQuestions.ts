import { eq, isNull, or, sql } from 'drizzle-orm';
import { hasMetadata } from '../../quiz/bank/metadata.ts';
import { hashedSlug, parseBank, type BankQuestion } from '../../quiz/bank/bank.ts';
import { normalizeQuestionText, parseExercise } from '../../quiz/bank/exercise.ts';
import type { Db, Queryable } from '../client.ts';
import { UserError } from '../../errors.ts';
import { answers, questions } from '../schema.ts';
import { canonicalJson, type QuestionRow } from './questions.ts';

/** A bank is a course's worth of questions; a file far beyond that is a mistake, and would hold the database. */
const MAX_IMPORT_QUESTIONS = 500;

export interface ImportReport {
  /** Questions the file holds that could be read (before checking the bank). */
  found: number;
  added: string[];
  updated: string[];
  unchanged: string[];
  skipped: { question: string; reason: string }[];
  /** Questions of the file now in the bank without a reference answer or a rubric (so without a suggested grade). */
  incomplete: { slug: string; missing: ('reference answer' | 'rubric')[] }[];
}

/**
 * Imports an exercise file into the guild's own questions, in one transaction.
 *
 * A question's identity: the file's own slug (`<!-- slug: ... -->`) when it gives one, otherwise its text
 * (compared without case, punctuation or spacing, in any script), with a slug made from the text for new
 * questions (made distinct by a hash of the text when another question has it). A question already in the
 * guild's bank under another identity (the shipped bank included) is skipped, so a cohort never gets the same
 * question twice. A new wording of a question students have already answered is refused, so an answer always
 * stays with the words it answered. Importing a file again changes nothing. Questions without metadata take the
 * file's `#` title as topic (a plain exercise sheet names its week or unit).
 */
export async function importQuestions(
  db: Db,
  guildId: string | null,
  markdown: string,
  options: { defaultTopic?: string } = {},
): Promise<ImportReport> {
  const exercise = parseExercise(markdown);
  // Checked before reading each question's metadata: a file of a hundred thousand bullets is refused at once.
  if (exercise.items.length > MAX_IMPORT_QUESTIONS) {
    throw new UserError(
      `The file has ${exercise.items.length} questions; at most ${MAX_IMPORT_QUESTIONS} can be imported at once. Nothing was imported.`,
    );
  }
  const parsed = parseBank(markdown, { defaultTopic: options.defaultTopic ?? exercise.title ?? 'Imported' });
  const withOwnSlug = new Set(
    exercise.items.filter((item) => hasMetadata(item.answer)).map((item) => normalizeQuestionText(item.question)),
  );
  const report: ImportReport = {
    found: parsed.questions.length,
    added: [],
    updated: [],
    unchanged: [],
    skipped: [...parsed.skipped],
    incomplete: [],
  };
  if (parsed.questions.length === 0) return report;
  return db.transaction(async (tx) => {
    // Two imports in one guild at once would race for the same slugs: take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`questions-import:${guildId ?? 'shipped'}`}))`);
    // A guild sees the shipped bank and its own questions; the shipped scope (null, from the CLI) only itself.
    const scope =
      guildId === null ? isNull(questions.guildId) : or(isNull(questions.guildId), eq(questions.guildId, guildId));
    const visible = await tx.select().from(questions).where(scope);
    const byText = new Map<string, QuestionRow>();
    const slugsTaken = new Set(visible.map((q) => q.slug));
    for (const q of visible)
      if (!byText.has(normalizeQuestionText(q.text))) byText.set(normalizeQuestionText(q.text), q);
    const ownBySlug = new Map(visible.filter((q) => q.guildId === guildId).map((q) => [q.slug, q]));
    let position = Math.max(
      guildId === null ? -1 : 999,
      ...visible.filter((q) => q.guildId === guildId).map((q) => q.position),
    );
    for (const question of parsed.questions) {
      const text = normalizeQuestionText(question.text);
      const sameText = byText.get(text);
      const givenSlug = withOwnSlug.has(text);
      // The guild's own question this one is: by the slug the file gives, or else by its text.
      const own = givenSlug ? ownBySlug.get(question.slug) : sameText?.guildId === guildId ? sameText : undefined;
      const skip = (reason: string) => report.skipped.push({ question: question.text, reason });
      if (sameText && sameText !== own) {
        skip(`already in the bank as ${sameText.slug}`);
        continue;
      }
      let slug: string;
      if (!own) {
        // A slug made from the text that another question has (a long common beginning): made distinct.
        const free = !slugsTaken.has(question.slug)
          ? question.slug
          : givenSlug
            ? null
            : hashedSlug(question.slug, question.text);
        if (free === null || slugsTaken.has(free)) {
          skip(`the slug "${question.slug}" is taken by another question: give this one its own slug`);
          continue;
        }
        slug = free;
        position += 1;
        const [row] = await tx
          .insert(questions)
          .values({ guildId, slug, ...fields(question), position, imported: true })
          .returning();
        slugsTaken.add(slug);
        byText.set(text, row!);
        ownBySlug.set(slug, row!);
        report.added.push(slug);
      } else if (!differs(own, question)) {
        slug = own.slug;
        report.unchanged.push(slug);
      } else {
        const answered = normalizeQuestionText(own.text) === text ? 0 : await answerCount(tx, own.id);
        if (answered > 0) {
          skip(
            `kept as \`${own.slug}\` was: ${answered} answer${answered === 1 ? ' was' : 's were'} given to its current wording, ` +
              'and a new wording would put them under a question they did not answer. Import the new wording under a new slug.',
          );
          continue;
        }
        await tx
          .update(questions)
          .set({ ...fields(question), updatedAt: new Date() })
          .where(eq(questions.id, own.id));
        if (byText.get(normalizeQuestionText(own.text)) === own) byText.delete(normalizeQuestionText(own.text));
        Object.assign(own, fields(question));
        byText.set(text, own);
        slug = own.slug;
        report.updated.push(slug);
      }
      const missing = [
        ...(question.referenceAnswer ? [] : ['reference answer' as const]),
        ...(question.rubric ? [] : ['rubric' as const]),
      ];
      if (missing.length > 0) report.incomplete.push({ slug, missing });
    }
    return report;
  });
}

async function answerCount(tx: Queryable, questionId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(answers)
    .where(eq(answers.questionId, questionId));
  return row?.n ?? 0;
}

function fields(question: BankQuestion) {
  return {
    topic: question.topic,
    text: question.text,
    referenceAnswer: question.referenceAnswer,
    rubric: question.rubric,
    active: true,
  };
}

function differs(row: QuestionRow, question: BankQuestion): boolean {
  const next = fields(question);
  return (Object.keys(next) as (keyof typeof next)[]).some(
    (key) => canonicalJson(row[key]) !== canonicalJson(next[key]),
  );
}
