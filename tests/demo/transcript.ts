import type { FakeMessage } from '../fake-discord/index.ts';

interface EmbedJson {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** `<t:…:R>` as Discord shows it: "in 10 hours", "2 minutes ago", "a few seconds ago". */
export function relativeTime(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return seconds > 0 ? 'in a few seconds' : 'a few seconds ago';
  const [unit, size] = RELATIVE_UNITS.find(([, length]) => Math.abs(seconds) >= length * 0.9)!;
  return relativeFormat.format(Math.round(seconds / size), unit);
}

/**
 * A Discord timestamp in one of its styles. Discord shows each reader their own local time; the transcript
 * shows the cohort's time zone, named.
 */
function timestamp(seconds: string, style: string, now: Date, timeZone: string): string {
  const at = new Date(Number(seconds) * 1000);
  if (style === 'R') return relativeTime(at, now);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}${style === 'T' ? `:${parts.second}` : ''}`;
  if (style === 'd' || style === 'D') return `${date} (${timeZone})`;
  if (style === 't' || style === 'T') return `${time} ${timeZone}`;
  return `${date} ${time} ${timeZone}`;
}

/** Discord's markup as a reader sees it: timestamps as times, user, role and channel mentions as names, no bold. */
function readable(text: string, names: ReadonlyMap<string, string>, now: Date, timeZone: string): string {
  return text
    .replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_m, seconds: string, style: string | undefined) =>
      timestamp(seconds, style ?? 'f', now, timeZone),
    )
    .replace(/<@[!&]?(\d+)>/g, (m, id: string) => (names.has(id) ? `@${names.get(id)}` : m))
    .replace(/<#(\d+)>/g, (m, id: string) => (names.has(id) ? `#${names.get(id)}` : m))
    .replace(/\*\*/g, '')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1$2');
}

/**
 * A message as a reader would see it, in plain text: content, embeds, and buttons in brackets. Nothing is cut:
 * the bot keeps within Discord's limits itself, and the transcript shows what Discord would show.
 */
export function renderMessage(
  message: FakeMessage | undefined,
  prefix = '    ',
  names: ReadonlyMap<string, string> = new Map(),
  { now = new Date(), timeZone = 'UTC' }: { now?: Date; timeZone?: string } = {},
): string {
  if (!message) return `${prefix}(nothing)`;
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const embed of message.embeds as EmbedJson[]) {
    if (embed.title) parts.push(`== ${embed.title} ==`);
    if (embed.description) parts.push(embed.description);
    for (const field of embed.fields ?? []) parts.push(`${field.name}: ${field.value.replace(/\n/g, ' | ')}`);
    if (embed.footer?.text) parts.push(`(${embed.footer.text})`);
  }
  const rows = message.components as { components?: { label?: string; disabled?: boolean }[] }[];
  const buttons = rows.flatMap((row) =>
    (row.components ?? []).map((b) => `[${b.label}${b.disabled ? ', disabled' : ''}]`),
  );
  if (buttons.length > 0) parts.push(buttons.join(' '));
  for (const attachment of message.attachments)
    parts.push(
      `📎 ${attachment.filename} (${attachment.bytes.length} bytes)${attachment.description ? `, described as: ${attachment.description}` : ''}`,
    );
  return indent(readable(parts.join('\n'), names, now, timeZone), prefix);
}

/** Collects the transcript and prints it as it goes. */
export class Transcript {
  private readonly started = Date.now();

  /** `names`: display names of the users, roles and channels the messages mention, by id; times in `timeZone`. */
  constructor(
    private readonly names: ReadonlyMap<string, string>,
    private readonly timeZone = 'UTC',
  ) {}

  /** A remark of the transcript itself, for what a reader could misread. */
  note(line: string): void {
    process.stdout.write(`        (${line})\n`);
  }

  say(line: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5);
    process.stdout.write(`${seconds}s  ${line}\n`);
  }

  show(message: FakeMessage | undefined): void {
    process.stdout.write(`${renderMessage(message, '        ', this.names, { timeZone: this.timeZone })}\n`);
  }
}
