/**
 * The Conceptual Exercise Markdown format: an optional `#` title, then questions as top-level
 * `- ` bullets, each followed by the student's answer (same line after the question, the lines
 * under it, `- ` bullets, or nothing).
 */
interface ExerciseItem {
  question: string;
  answer: string;
}

export interface Exercise {
  title: string | null;
  items: ExerciseItem[];
}

const BULLET = /^-\s+(\S.*)$/;
const TERMINAL_PUNCTUATION = /[?.!:;\uff1f\u3002\uff01\uff1a\u061f\u037e\u2753\u2754\u2047-\u2049]$/;
const GREEK = /\p{Script=Greek}/u;
/** Question marks of other scripts: full-width, Arabic, Greek, and the emoji and ligature forms. */
const QUESTION_MARKS = new Set(['?', '\uff1f', '\u061f', '\u037e', '\u2753', '\u2754', '\u2047', '\u2048', '\u2049']);
const MAX_QUESTION_CONTINUATION_LINES = 3;
const IMPERATIVE_START =
  /^(compare|describe|explain|list|name|give|define|discuss|contrast|write|summari[sz]e|outline)\b/i;

export function parseExercise(markdown: string): Exercise {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let title: string | null = null;
  const items: { question: string; answerLines: string[] }[] = [];
  let lastQuestionLine = -1;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const bullet = BULLET.exec(line);
    const current = items.at(-1);
    if (bullet && (!current || startsNextQuestion(bullet[1]!, index === lastQuestionLine + 1))) {
      const continuation = questionContinuation(lines, index, bullet[1]!);
      const { question, sameLineAnswer } = splitSameLineAnswer([bullet[1]!, ...continuation].join(' '));
      items.push({ question: collapseWhitespace(question), answerLines: sameLineAnswer ? [sameLineAnswer] : [] });
      index += continuation.length;
      lastQuestionLine = index;
    } else if (current) {
      current.answerLines.push(line.replace(/^\s*-(\s+|$)/, '').trim());
    } else if (title === null && /^#{1,6}\s+\S/.test(line)) {
      title = line.replace(/^#{1,6}\s+/, '').trim();
    }
  }
  return { title, items: items.map(({ question, answerLines }) => ({ question, answer: joinAnswer(answerLines) })) };
}

/** Right under a question, "- Yes" answers it; only a bullet ending in "?" asks the next one. */
function startsNextQuestion(text: string, rightUnderQuestion: boolean): boolean {
  const trimmed = text.trim();
  if (rightUnderQuestion) return lastQuestionMark(trimmed) === trimmed.length - 1;
  return lastQuestionMark(trimmed) >= 0 || IMPERATIVE_START.test(trimmed);
}

/** Where the last question mark is (or -1), in any script: "?", "？", "؟", "❓", and ";" in Greek. */
function lastQuestionMark(text: string): number {
  const greek = GREEK.test(text);
  for (let index = text.length - 1; index >= 0; index -= 1) {
    const character = text[index];
    if (QUESTION_MARKS.has(character!) || (greek && character === ';')) return index;
  }
  return -1;
}

/** Indented lines that finish a question wrapped over several lines ("...no right\n  answer here)?"). */
function questionContinuation(lines: string[], questionIndex: number, firstLine: string): string[] {
  if (TERMINAL_PUNCTUATION.test(firstLine.trim())) return [];
  const continuation: string[] = [];
  for (let offset = 1; offset <= MAX_QUESTION_CONTINUATION_LINES; offset += 1) {
    const line = lines[questionIndex + offset];
    if (line === undefined || !/^\s+\S/.test(line) || /^\s*-\s/.test(line)) return [];
    continuation.push(line.trim());
    if (TERMINAL_PUNCTUATION.test(line.trim())) return continuation;
  }
  return [];
}

/** "What is a JWT? A token." holds an answer after the `?`; "...? Describe how." does not. */
function splitSameLineAnswer(text: string): { question: string; sameLineAnswer: string } {
  const mark = lastQuestionMark(text);
  const tail = text.slice(mark + 1).trim();
  if (mark < 0 || tail === '' || IMPERATIVE_START.test(tail)) return { question: text, sameLineAnswer: '' };
  return { question: text.slice(0, mark + 1), sameLineAnswer: tail };
}

function joinAnswer(lines: string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A form of a question's text for matching, in any script: no case, width, quotes, punctuation or spacing
 * differences. Letters, digits and symbols such as emoji are kept; ASCII punctuation and symbols, and question
 * marks of any kind ("❓" is a symbol), are not.
 */
export function normalizeQuestionText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[`'"\u2018\u2019\u201c\u201d\u2753\u2754]/g, '')
    .replace(/(?:[\0-\x2f\x3a-\x60\x7b-\x7f]|[^\p{L}\p{N}\p{M}\p{S}])+/gu, ' ')
    .trim();
}
