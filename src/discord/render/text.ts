import { escapeMarkdown } from 'discord.js';
import type { DatabaseProblem } from '../../db/errors.ts';

const MARK = '… (shortened)';

/** Text cut to `max` characters with a visible mark, never a silent cut or a Discord rejection. */
export function shorten(text: string, max: number, mark = MARK): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - mark.length));
  // Do not leave half of a surrogate pair or a dangling escape backslash at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return cut + mark;
}

/** Line starts that discord.js's escapeMarkdown leaves alone: block quotes (`>`, `>>>`) and subtext (`-#`). */
const LINE_START_MARKS = /^([ \t]*)(>|-#)/gm;

/**
 * Student text (an answer, feedback, a display name) shown as written: Markdown is escaped so it cannot
 * break the layout, then shortened to fit.
 */
export function studentText(text: string, max: number): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  }).replace(LINE_START_MARKS, '$1\\$2');
  return escaped.trim() === '' ? '(blank)' : shorten(escaped, max);
}

/** A field value: Discord rejects empty ones, and allows 1024 characters. */
export function fieldValue(text: string): string {
  return text.trim() === '' ? '—' : shorten(text, 1024);
}

/** A Discord timestamp that each reader sees in their own time zone. */
export function discordTime(at: Date, style: 'R' | 'f' | 'F' | 't' | 'D' = 'f'): string {
  return `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;
}

/** As many whole lines as fit in `max`, then a line saying how many were left out. */
export function fitLines(lines: string[], max: number, what: string): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const tail = `\n… and ${lines.length - index} more${what ? ` ${what}` : ''}`;
    if (length + line.length + 1 + tail.length > max) return [...kept, tail.trim()].join('\n');
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

/** A count with its noun: `plural(1, 'point')` is "1 point", `plural(3, 'point')` "3 points". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${Math.abs(count) === 1 ? noun : nouns}`;
}

/** Why a read after a saved change failed, in the words of the bot's other database messages. */
export function databaseState(problem: DatabaseProblem): string {
  return problem === 'busy' ? 'the database is busy' : 'the database is unavailable';
}
