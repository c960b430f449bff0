import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hasMetadata, parseMetadata } from './metadata.ts';
import { normalizeQuestionText, parseExercise } from './exercise.ts';
import { rubricProblems, type Rubric } from '../grading/rubric.ts';

export interface BankQuestion {
  slug: string;
  topic: string;
  text: string;
  referenceAnswer: string | null;
  rubric: Rubric | null;
}

export interface ParsedBank {
  questions: BankQuestion[];
  skipped: { question: string; reason: string }[];
}

const SHIPPED_BANK_PATH = 'src/questions/conceptual-exercise.md';
const MAX_QUESTION_LENGTH = 1000;
const MAX_SLUG_LENGTH = 64;
const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A stable slug from a question's text, in any script: its lower-case words joined by dashes, cut at a word
 * ("what-is-a-closure", "что-такое-замыкание"). A text without letters, digits or symbols gets its hash.
 */
export function slugify(text: string): string {
  const words = normalizeQuestionText(text).split(' ').filter(Boolean);
  let slug = '';
  for (const word of words) {
    const longer = slug ? `${slug}-${word}` : word;
    if (longer.length > MAX_SLUG_LENGTH) break;
    slug = longer;
  }
  // A first word longer than a slug (Chinese is written without spaces): its first characters, whole.
  slug ||= cutToLength(words.join(''), MAX_SLUG_LENGTH);
  return slug || hashedSlug('q', text);
}

/**
 * The same slug made distinct by a hash of the question's text ("what-is-a-closure-3f9a2c1b"): for a question
 * whose slug another question already has (slugs are cut at 64 characters, so long texts can share one).
 */
export function hashedSlug(slug: string, text: string): string {
  const hash = createHash('sha256')
    .update(normalizeQuestionText(text) || text)
    .digest('hex')
    .slice(0, 8);
  return `${cutToLength(slug, MAX_SLUG_LENGTH - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** At most `max` UTF-16 units, never splitting a character (an emoji is two units). */
function cutToLength(text: string, max: number): string {
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > max) break;
    cut += character;
  }
  return cut;
}

/** Reads a question bank, or a plain exercise sheet whose answers are ignored (no reference answers). */
export function parseBank(markdown: string, opts: { defaultTopic?: string } = {}): ParsedBank {
  const questions: BankQuestion[] = [];
  const skipped: ParsedBank['skipped'] = [];
  const slugs = new Set<string>();
  const texts = new Set<string>();
  for (const { question: text, answer } of parseExercise(markdown).items) {
    const skip = (reason: string) => skipped.push({ question: text, reason });
    if (text.length > MAX_QUESTION_LENGTH) {
      skip(`the question is longer than ${MAX_QUESTION_LENGTH} characters`);
      continue;
    }
    const question = toBankQuestion(text, answer, opts.defaultTopic ?? 'General');
    if (typeof question === 'string') skip(question);
    else if (texts.has(normalizeQuestionText(text))) skip('the same question appears earlier in this file');
    else if (slugs.has(question.slug) && hasMetadata(answer))
      skip(`the slug "${question.slug}" is already used in this file`);
    else {
      // A slug made from the text and shared with an earlier question (a long common beginning): made distinct.
      if (slugs.has(question.slug)) question.slug = hashedSlug(question.slug, text);
      slugs.add(question.slug);
      texts.add(normalizeQuestionText(text));
      questions.push(question);
    }
  }
  return { questions, skipped };
}

/** Discord's limit for an autocomplete choice: a longer topic could never be chosen in /quiz. */
const MAX_TOPIC_LENGTH = 100;

/** The question, or why it cannot be used. */
function toBankQuestion(text: string, answerArea: string, defaultTopic: string): BankQuestion | string {
  if (!hasMetadata(answerArea)) {
    return {
      slug: slugify(text),
      topic: defaultTopic.slice(0, MAX_TOPIC_LENGTH).trim(),
      text,
      referenceAnswer: null,
      rubric: null,
    };
  }
  const metadata = parseMetadata(answerArea);
  const slug = metadata.fields.slug ?? '';
  if (!SLUG_PATTERN.test(slug) || slug.length > MAX_SLUG_LENGTH) {
    return `the slug "${slug}" is not lower-case-with-dashes of at most ${MAX_SLUG_LENGTH} characters`;
  }
  const problems = [...metadata.problems, ...(metadata.rubric ? rubricProblems(metadata.rubric) : [])];
  if (problems.length > 0) return `invalid rubric: ${problems.join('; ')}`;
  const topic = metadata.fields.topic || defaultTopic;
  if (topic.length > MAX_TOPIC_LENGTH) return `the topic is longer than ${MAX_TOPIC_LENGTH} characters`;
  return { slug, topic, text, referenceAnswer: metadata.referenceAnswer, rubric: metadata.rubric };
}

/** The bank shipped with the bot; the bot always runs from the project root. */
export function loadShippedBank(): BankQuestion[] {
  const { questions, skipped } = parseBank(readFileSync(resolve(process.cwd(), SHIPPED_BANK_PATH), 'utf8'));
  if (skipped.length > 0) {
    const reasons = skipped.map((skip) => `"${skip.question}": ${skip.reason}`).join('; ');
    throw new Error(`${SHIPPED_BANK_PATH} has questions that cannot be used: ${reasons}`);
  }
  return questions;
}

/** Finds a question by slug or by its text, tolerant to backticks, spacing and a shortened form. */
export function findBankQuestion(questions: readonly BankQuestion[], key: string): BankQuestion | undefined {
  const bySlug = questions.find((question) => question.slug === key.trim());
  if (bySlug) return bySlug;
  const wanted = normalizeQuestionText(key);
  const withoutAsides = (text: string) => normalizeQuestionText(text.replace(/\([^)]*\)/g, ' '));
  const exact = questions.find((question) => normalizeQuestionText(question.text) === wanted);
  if (exact || wanted === '') return exact;
  const aside = questions.find((question) => withoutAsides(question.text) === withoutAsides(key));
  if (aside) return aside;
  // A question quoted only up to its first sentence, or with more words than the bank has.
  const prefixed = questions.filter((question) => {
    const known = normalizeQuestionText(question.text);
    const shorter = Math.min(known.length, wanted.length);
    return shorter >= 15 && (known.startsWith(`${wanted} `) || wanted.startsWith(`${known} `));
  });
  if (prefixed.length === 1) return prefixed[0];
  // Any part of the text, at least 15 characters long, that only one question contains.
  if (wanted.length < 15) return undefined;
  const containing = questions.filter((question) => normalizeQuestionText(question.text).includes(wanted));
  return containing.length === 1 ? containing[0] : undefined;
}
