import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { AnswerKind, Grade } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, answerVersions, cohorts, grades, pointsLedger, questions } from '../schema.ts';

export interface ExportRow {
  answerId: number;
  /** The cohort the answer was given in (a removed cohort's answers stay). */
  cohortName: string;
  questionSlug: string;
  questionText: string;
  userId: string;
  userName: string;
  kind: AnswerKind;
  answeredAt: Date;
  body: string;
  grade: Grade | null;
  graderId: string | null;
  feedback: string | null;
  /** The sum of the answer's ledger rows: what it earned after any regrade. */
  points: number;
  /** 1 unless the student edited the answer before the deadline; `body` is the latest version. */
  version: number;
  editedAt: Date | null;
  /** The versions the edits replaced, oldest first. */
  earlierVersions: EarlierVersion[];
}

interface EarlierVersion {
  version: number;
  submittedAt: Date;
  body: string;
}

type StoredVersion = { version: number; submittedAt: string; body: string };

const EXPORT_BATCH_SIZE = 1000;

/** The guild's (or one cohort's) answers with an id above `afterId`, oldest first: one page of a keyset scan. */
export function answersAfter(
  db: Queryable,
  guildId: string,
  afterId: number,
  limit: number,
  cohortId: number | null = null,
): Promise<ExportRow[]> {
  return db
    .select({
      answerId: answers.id,
      cohortName: cohorts.name,
      questionSlug: questions.slug,
      questionText: questions.text,
      userId: answers.userId,
      userName: answers.userName,
      kind: answers.kind,
      answeredAt: answers.createdAt,
      body: answers.body,
      grade: grades.grade,
      graderId: grades.graderId,
      feedback: grades.feedback,
      points: sql<number>`(select coalesce(sum(${pointsLedger.points}), 0)::int from ${pointsLedger} where ${pointsLedger.answerId} = ${answers.id})`,
      version: answers.version,
      editedAt: answers.editedAt,
      earlierVersions: sql<StoredVersion[]>`(
        select coalesce(json_agg(json_build_object('version', v.version, 'submittedAt', v.submitted_at, 'body', v.body) order by v.version), '[]')
        from ${answerVersions} v where v.answer_id = ${answers.id})`.mapWith((rows: StoredVersion[]) =>
        rows.map((row) => ({ ...row, submittedAt: new Date(row.submittedAt) })),
      ),
    })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .innerJoin(cohorts, eq(cohorts.id, answers.cohortId))
    .leftJoin(grades, eq(grades.answerId, answers.id))
    .where(
      and(
        eq(answers.guildId, guildId),
        cohortId === null ? undefined : eq(answers.cohortId, cohortId),
        gt(answers.id, afterId),
      ),
    )
    .orderBy(asc(answers.id))
    .limit(limit);
}

/**
 * Every answer of the guild (or, with `cohortId`, of one cohort) in batches by id (keyset pagination), so an export never holds a whole
 * guild's answers in one query or in memory; the caller may stop early.
 */
export async function* exportAnswerBatches(
  db: Queryable,
  guildId: string,
  options: { batchSize?: number; cohortId?: number | null } = {},
): AsyncGenerator<ExportRow[]> {
  const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
  let afterId = 0;
  for (;;) {
    const batch = await answersAfter(db, guildId, afterId, batchSize, options.cohortId ?? null);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    afterId = batch.at(-1)!.answerId;
  }
}
