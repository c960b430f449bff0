import { parseConditions, type Condition, type KeyPoint, type Misconception, type Rubric } from '../grading/rubric.ts';

/**
 * Bank metadata lives in a question's answer area and only counts when the area holds a
 * `<!-- slug: ... | topic: ... -->` line, so a student's sheet is never read as metadata.
 */
export interface QuestionMetadata {
  fields: Record<string, string>;
  referenceAnswer: string | null;
  rubric: Rubric | null;
  problems: string[];
}

// Every pattern here is linear in the line: no two neighbouring quantifiers can match the same characters
// (a label starts with a non-space after `\s+`), so a hostile line cannot make them backtrack.
const KEY_POINT_LINE = /^\*\s+`([^`]+)`\s+(\S.*?):\s+(".*)$/;
const MISCONCEPTION_LINE = /^\*\s+\[(partial|incorrect)\]\s+(\S.*?):\s+(".*)$/;

/** The inside of a `<!-- ... slug: ... -->` line, or null. String checks, not a pattern that could backtrack. */
function metadataComment(line: string): string | null {
  if (line.length < 7 || !line.startsWith('<!--') || !line.endsWith('-->')) return null;
  const inside = line.slice(4, -3);
  return /[\n\r\u2028\u2029]/.test(inside) || !/\bslug\s*:/.test(inside) ? null : inside;
}

export function hasMetadata(answerArea: string): boolean {
  return answerArea.split('\n').some((line) => metadataComment(line.trim()) !== null);
}

export function parseMetadata(answerArea: string): QuestionMetadata {
  const fields: Record<string, string> = {};
  const referenceLines: string[] = [];
  const keyPoints: KeyPoint[] = [];
  const misconceptions: Misconception[] = [];
  const problems: string[] = [];
  let ignore: string[] = [];
  let correctWhen: Condition[] | null = null;
  let partialWhen: Condition[] = [{ all: [], atLeast: 1 }];
  let hasRubric = false;
  let section: 'none' | 'reference' | 'keyPoints' | 'misconceptions' = 'none';
  for (const line of answerArea.split('\n').map((text) => text.trim())) {
    let match: RegExpExecArray | null;
    const comment = metadataComment(line);
    if (line === '') {
      if (section === 'reference') section = 'none';
    } else if (comment !== null) {
      for (const pair of comment.split('|')) {
        const [key, ...value] = pair.split(':');
        if (key && value.length > 0) fields[key.trim().toLowerCase()] = value.join(':').trim();
      }
    } else if ((match = /^Reference answer:\s*(.*)$/i.exec(line))) {
      section = 'reference';
      referenceLines.push(match[1]!);
    } else if (/^Key points:$/i.test(line)) {
      [section, hasRubric] = ['keyPoints', true];
    } else if (/^Misconceptions:$/i.test(line)) {
      section = 'misconceptions';
    } else if ((match = /^Ignore:\s*(.*)$/i.exec(line))) {
      const phrases = quotedPhrases(match[1]!);
      if (phrases) ignore = phrases;
      else problems.push(`bad Ignore line: ${line}`);
    } else if ((match = /^(Correct|Partial) when:\s*(.*)$/i.exec(line))) {
      hasRubric = true;
      const conditions = parseConditions(match[2]!);
      if (!conditions) problems.push(`bad condition: ${line}`);
      else if (match[1]!.toLowerCase() === 'correct') correctWhen = conditions;
      else partialWhen = conditions;
    } else if (section === 'keyPoints' && (match = KEY_POINT_LINE.exec(line))) {
      const phrases = quotedPhrases(match[3]!);
      if (phrases) keyPoints.push({ id: match[1]!, label: match[2]!.trim(), phrases });
      else problems.push(`bad key point phrases: ${line}`);
    } else if (section === 'misconceptions' && (match = MISCONCEPTION_LINE.exec(line))) {
      const phrases = quotedPhrases(match[3]!);
      const cap = match[1] as Misconception['cap'];
      if (phrases) misconceptions.push({ label: match[2]!.trim(), cap, phrases });
      else problems.push(`bad misconception phrases: ${line}`);
    } else if (section === 'reference') {
      referenceLines.push(line);
    } else {
      problems.push(`unrecognised line: ${line}`);
    }
  }
  if (hasRubric && !correctWhen) problems.push('no "Correct when:" line');
  const rubric = hasRubric ? { keyPoints, misconceptions, ignore, correctWhen: correctWhen ?? [], partialWhen } : null;
  const referenceAnswer = referenceLines.join(' ').replace(/\s+/g, ' ').trim();
  return { fields, referenceAnswer: referenceAnswer || null, rubric, problems };
}

/** `"a", "b*", "c & d"` -> the phrases; null when anything but quoted phrases and commas is there. */
function quotedPhrases(text: string): string[] | null {
  const phrases = [...text.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
  const leftover = text.replace(/"[^"]*"/g, '').replace(/[\s,]/g, '');
  return leftover === '' ? phrases : null;
}
