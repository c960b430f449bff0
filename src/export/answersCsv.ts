import type { ExportRow } from '../db/repo/exportAnswers.ts';
import { CSV_BOM, csvRow, type CsvCell } from './csv.ts';

/** Every guild can upload this much; boosted guilds more, but the export must work everywhere. */
export const ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The columns of the export, one row per answer (written by /export and by `npm run export`). `answer` is the
 * latest version; `earlier_versions` is a JSON array of the versions edits replaced, oldest first.
 */
export const EXPORT_HEADER = [
  'answer_id',
  'question_slug',
  'question',
  'student_id',
  'student_name',
  'kind',
  'answered_at',
  'answer',
  'grade',
  'grader_id',
  'feedback',
  'points',
  'version',
  'edited_at',
  'earlier_versions',
  'cohort',
] as const;

function earlierVersionsCell(row: ExportRow): string {
  if (row.earlierVersions.length === 0) return '';
  return JSON.stringify(
    row.earlierVersions.map((v) => ({ version: v.version, submitted_at: v.submittedAt.toISOString(), answer: v.body })),
  );
}

/** The file's first bytes: the byte order mark (so Excel reads names and answers as UTF-8) and the header. */
export const EXPORT_START = CSV_BOM + csvRow(EXPORT_HEADER);

function exportRecord(row: ExportRow): CsvCell[] {
  return [
    row.answerId,
    row.questionSlug,
    row.questionText,
    row.userId,
    row.userName,
    row.kind,
    row.answeredAt.toISOString(),
    row.body,
    row.grade,
    row.graderId,
    row.feedback,
    row.points,
    row.version,
    row.editedAt?.toISOString(),
    earlierVersionsCell(row),
    row.cohortName,
  ];
}

/** A batch of answers as CSV records. */
export function exportRecords(batch: readonly ExportRow[]): string {
  return batch.map((row) => csvRow(exportRecord(row))).join('');
}

export type CsvFile = { status: 'ok'; buffer: Buffer; rows: number } | { status: 'too-big'; rows: number };

/** The CSV file, built batch by batch; it stops reading as soon as the file would pass `maxBytes`. */
export async function buildAnswersCsv(
  batches: AsyncIterable<ExportRow[]>,
  maxBytes = ATTACHMENT_MAX_BYTES,
): Promise<CsvFile> {
  const chunks = [Buffer.from(EXPORT_START, 'utf8')];
  let bytes = chunks[0]!.length;
  let rows = 0;
  for await (const batch of batches) {
    const chunk = Buffer.from(exportRecords(batch), 'utf8');
    rows += batch.length;
    bytes += chunk.length;
    if (bytes > maxBytes) return { status: 'too-big', rows };
    chunks.push(chunk);
  }
  return { status: 'ok', buffer: Buffer.concat(chunks, bytes), rows };
}
