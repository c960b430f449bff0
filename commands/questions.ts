import type { Attachment } from 'discord.js';
import { importQuestions } from '../src/db/repo/importQuestions.ts';
import { listQuestions } from '../src/db/repo/questions.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { importReportEmbed, questionListEmbed } from '../src/discord/render/questionBank.ts';
import { shorten } from '../src/discord/render/text.ts';
import { UserError } from '../src/errors.ts';

const IMPORT_MAX_BYTES = 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 15_000;
const TEXT_NAME = /\.(md|markdown|txt)$/i;

/** The attachment's text, or a clear refusal: not text, too big, not UTF-8, or not downloadable. */
async function downloadText(attachment: Attachment): Promise<string> {
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase();
  if (!TEXT_NAME.test(attachment.name) && !type?.startsWith('text/')) {
    throw new UserError('Attach the exercise as a Markdown or text file (.md or .txt).');
  }
  const tooBig = new UserError(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Nothing was imported.`);
  if (attachment.size > IMPORT_MAX_BYTES) throw tooBig;
  const response = await fetch(attachment.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }).catch(() => null);
  if (!response?.ok || !response.body)
    throw new UserError('The file could not be downloaded from Discord. Please try again.');
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
        .addStringOption((o) =>
          o.setName('topic').setDescription('Only this topic').setAutocomplete(true).setMaxLength(100),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('import')
        .setDescription('Import an exercise file (Markdown, Conceptual Exercise format)')
        .addAttachmentOption((o) => o.setName('file').setDescription('The .md file, up to 1 MB').setRequired(true)),
    ),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const guildId = interaction.guildId;
      if (interaction.options.getSubcommand() === 'import') {
        const attachment = interaction.options.getAttachment('file', true);
        const markdown = await downloadText(attachment);
        const report = await importQuestions(ctx.db, guildId, markdown);
        if (report.found === 0 && report.skipped.length === 0) {
          throw new UserError(
            'No questions found: questions are top-level "- " bullets, as in the Conceptual Exercise. Nothing was imported.',
          );
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
    const all = await listQuestions(ctx.db, interaction.guildId, { activeOnly: false });
    const topics = [...new Set(all.map((q) => q.topic))].filter((t) => t.toLowerCase().includes(typed)).slice(0, 25);
    await interaction.respond(topics.map((t) => ({ name: t.slice(0, 100), value: t.slice(0, 100) })));
  },
};
