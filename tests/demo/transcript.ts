import type { FakeMessage } from '../discord/fakeDiscord.ts';

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

/** Discord's markup as a reader sees it: timestamps as UTC times, mentions as names. */
function readable(text: string, names: ReadonlyMap<string, string>): string {
  return text
    .replace(/<t:(\d+):[a-zA-Z]>/g, (_m, seconds: string) => new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC')
    .replace(/<@!?(\d+)>/g, (m, id: string) => (names.has(id) ? `@${names.get(id)}` : m))
    .replace(/\*\*/g, '');
}

/** A message as a reader would see it, in plain text: content, embeds, and buttons in brackets. */
export function renderMessage(message: FakeMessage | undefined, prefix = '    ', names: ReadonlyMap<string, string> = new Map()): string {
  if (!message) return `${prefix}(nothing)`;
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const embed of message.embeds as EmbedJson[]) {
    if (embed.title) parts.push(`== ${embed.title} ==`);
    if (embed.description) parts.push(clip(embed.description, 400));
    for (const field of embed.fields ?? []) parts.push(`${field.name}: ${clip(field.value, 300).replace(/\n/g, ' | ')}`);
    if (embed.footer?.text) parts.push(`(${embed.footer.text})`);
  }
  const rows = message.components as { components?: { label?: string; disabled?: boolean }[] }[];
  const buttons = rows.flatMap((row) => (row.components ?? []).map((b) => `[${b.label}${b.disabled ? ', disabled' : ''}]`));
  if (buttons.length > 0) parts.push(buttons.join(' '));
  for (const attachment of message.attachments) parts.push(`📎 ${attachment.filename} (${attachment.bytes.length} bytes)`);
  return indent(readable(parts.join('\n'), names), prefix);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Collects the transcript and prints it as it goes. */
export class Transcript {
  private readonly started = Date.now();

  constructor(private readonly names: ReadonlyMap<string, string>) {}

  say(line: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5);
    process.stdout.write(`${seconds}s  ${line}\n`);
  }

  show(message: FakeMessage | undefined): void {
    process.stdout.write(`${renderMessage(message, '        ', this.names)}\n`);
  }
}
