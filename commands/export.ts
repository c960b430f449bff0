import { AttachmentBuilder } from 'discord.js';
import { exportAnswerBatches, type ExportRow } from '../src/db/repo/exportAnswers.ts';
import { guildTimeZone } from '../src/db/repo/guildSettings.ts';
import { slashCommand, type Command } from '../src/discord/command.ts';
import { requireInstructor } from '../src/discord/permissions.ts';
import { UserError } from '../src/errors.ts';
import { CSV_BOM, csvRow, type CsvCell } from '../src/quiz/csv.ts';
import { localDateOf } from '../src/quiz/schedule.ts';

/** Every guild can upload this much; boosted guilds more, but the export must work everywhere. */
export const ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024;

/** The columns of the export, one row per answer (also written by `npm run export`). */
export const EXPORT_HEADER = [
  'answer_id', 'question_slug', 'question', 'student_id', 'student_name', 'kind',
  'answered_at', 'answer', 'grade', 'grader_id', 'feedback', 'points',
] as const;

export function exportRecord(row: ExportRow): CsvCell[] {
  return [
    row.answerId, row.questionSlug, row.questionText, row.userId, row.userName, row.kind,
    row.answeredAt.toISOString(), row.body, row.grade, row.graderId, row.feedback, row.points,
  ];
}

export type CsvFile = { status: 'ok'; buffer: Buffer; rows: number } | { status: 'too-big'; rows: number };

/**
 * The CSV file (UTF-8 with a byte order mark, so Excel reads names and answers correctly), built batch by
 * batch; it stops reading as soon as the file would pass `maxBytes`.
 */
export async function buildAnswersCsv(batches: AsyncIterable<ExportRow[]>, maxBytes = ATTACHMENT_MAX_BYTES): Promise<CsvFile> {
  const chunks = [Buffer.from(CSV_BOM + csvRow(EXPORT_HEADER), 'utf8')];
  let bytes = chunks[0]!.length;
  let rows = 0;
  for await (const batch of batches) {
    const chunk = Buffer.from(batch.map((row) => csvRow(exportRecord(row))).join(''), 'utf8');
    rows += batch.length;
    bytes += chunk.length;
    if (bytes > maxBytes) return { status: 'too-big', rows };
    chunks.push(chunk);
  }
  return { status: 'ok', buffer: Buffer.concat(chunks, bytes), rows };
}

export const exportCommand: Command = {
  data: slashCommand('export', 'Every answer with its grade, feedback and points, as a CSV file', 'instructors'),

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      await requireInstructor(interaction, ctx);
      const guildId = interaction.guildId!;
      const file = await buildAnswersCsv(exportAnswerBatches(ctx.db, guildId));
      if (file.status === 'too-big') {
        throw new UserError(
          `The export is larger than Discord's ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB attachment limit (over ${file.rows} answers). ` +
            `Ask the operator to run \`npm run export -- ${guildId} --out answers.csv\` on the bot's machine.`,
        );
      }
      const date = localDateOf(ctx.now(), await guildTimeZone(ctx.db, guildId));
      const name = `answers-${guildId}-${date}.csv`;
      await respond.send({
        content: file.rows === 0 ? 'There are no answers yet: the file has only the header.' : `${file.rows} answers exported.`,
        files: [new AttachmentBuilder(file.buffer, { name })],
      });
    },
  },
};
