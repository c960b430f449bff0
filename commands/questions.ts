import { EmbedBuilder, type Attachment } from 'discord.js';
import { importQuestions, type ImportReport } from '../src/db/repo/importQuestions.ts';
import { listQuestions, type QuestionRow } from '../src/db/repo/questions.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { requireInstructor } from '../src/discord/permissions.ts';
import { fieldValue, fitLines, shorten } from '../src/discord/render/text.ts';
import { UserError } from '../src/errors.ts';

export const IMPORT_MAX_BYTES = 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 15_000;
const TEXT_NAME = /\.(md|markdown|txt)$/i;

export function questionListEmbed(rows: QuestionRow[], topic: string | null): EmbedBuilder {
  const lines = rows.map(
    (q) => `\`${q.slug}\` · **${shorten(q.topic, 40)}** · ${shorten(q.text, 100)}${q.active ? '' : ' · _retired_'}`,
  );
  const active = rows.filter((q) => q.active).length;
  return new EmbedBuilder()
    .setTitle(shorten(`Question bank${topic ? ` · ${topic}` : ''}`, 256))
    .setColor(0x5865f2)
    .setDescription(lines.length > 0 ? fitLines(lines, 4000, 'questions: filter by topic') : 'No questions.')
    .setFooter({ text: `${rows.length} questions, ${active} active` });
}

export function importReportEmbed(fileName: string, report: ImportReport): EmbedBuilder {
  const list = (slugs: string[]) => fitLines(slugs.map((slug) => `\`${slug}\``), 1000, '');
  const skipped = report.skipped.map((s) => `• ${shorten(s.question, 100)}: ${shorten(s.reason, 200)}`);
  const embed = new EmbedBuilder()
    .setTitle(shorten(`Import of ${fileName}`, 256))
    .setColor(report.added.length + report.updated.length > 0 ? 0x57f287 : 0xfee75c)
    .setDescription(
      `${report.added.length} added · ${report.updated.length} updated · ${report.unchanged.length} unchanged · ${report.skipped.length} skipped`,
    );
  if (report.added.length > 0) embed.addFields({ name: 'Added', value: fieldValue(list(report.added)) });
  if (report.updated.length > 0) embed.addFields({ name: 'Updated', value: fieldValue(list(report.updated)) });
  if (skipped.length > 0) embed.addFields({ name: 'Skipped', value: fieldValue(fitLines(skipped, 1000, 'skipped')) });
  const incomplete = report.incomplete.map((q) => `\`${q.slug}\`: no ${q.missing.join(', no ')}`);
  if (incomplete.length > 0) {
    embed.addFields({ name: 'Incomplete: students see no reference answer, answers get no suggested grade', value: fieldValue(fitLines(incomplete, 1000, 'questions')) });
  }
  return embed;
}

/** The attachment's text, or a clear refusal: not text, too big, not UTF-8, or not downloadable. */
async function downloadText(attachment: Attachment): Promise<string> {
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase();
  if (!TEXT_NAME.test(attachment.name) && !type?.startsWith('text/')) {
    throw new UserError('Attach the exercise as a Markdown or text file (.md or .txt).');
  }
  const tooBig = new UserError(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Nothing was imported.`);
  if (attachment.size > IMPORT_MAX_BYTES) throw tooBig;
  const response = await fetch(attachment.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }).catch(() => null);
  if (!response?.ok || !response.body) throw new UserError('The file could not be downloaded from Discord. Please try again.');
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // Read no more than the limit, whatever size Discord announced.
  for await (const chunk of response.body) {
    bytes += chunk.length;
    if (bytes > IMPORT_MAX_BYTES) throw tooBig;
    chunks.push(chunk);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    if (!text.includes('\u0000')) return text;
  } catch {
    // not UTF-8: refused below
  }
  throw new UserError('The file is not UTF-8 text. Nothing was imported.');
}

export const questionsCommand: Command = {
  data: slashCommand('questions', 'The question bank: list or import questions', 'instructors')
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription('Slug, topic, question and whether it is active')
        .addStringOption((o) => o.setName('topic').setDescription('Only this topic').setAutocomplete(true).setMaxLength(100)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('import')
        .setDescription('Import an exercise file (Markdown, Conceptual Exercise format)')
        .addAttachmentOption((o) => o.setName('file').setDescription('The .md file, up to 1 MB').setRequired(true)),
    ),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await requireInstructor(interaction, ctx);
      const guildId = interaction.guildId!;
      if (interaction.options.getSubcommand() === 'import') {
        const attachment = interaction.options.getAttachment('file', true);
        const markdown = await downloadText(attachment);
        const report = await importQuestions(ctx.db, guildId, markdown);
        if (report.found === 0 && report.skipped.length === 0) {
          throw new UserError('No questions found: questions are top-level "- " bullets, as in the Conceptual Exercise. Nothing was imported.');
        }
        ctx.logger.info({ guildId, added: report.added.length, updated: report.updated.length }, 'questions imported');
        return respond.send({ embeds: [importReportEmbed(attachment.name, report)] });
      }
      const topic = interaction.options.getString('topic')?.trim() || null;
      const all = await listQuestions(ctx.db, guildId, { activeOnly: false });
      const rows = topic ? all.filter((q) => q.topic.toLowerCase() === topic.toLowerCase()) : all;
      if (topic && rows.length === 0) throw new UserError(`There is no topic "${shorten(topic, 100)}".`);
      await respond.send({ embeds: [questionListEmbed(rows, topic)] });
    },
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const all = await listQuestions(ctx.db, interaction.guildId!, { activeOnly: false });
    const topics = [...new Set(all.map((q) => q.topic))].filter((t) => t.toLowerCase().includes(typed)).slice(0, 25);
    await interaction.respond(topics.map((t) => ({ name: t.slice(0, 100), value: t.slice(0, 100) })));
  },
};
