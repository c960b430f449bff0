import { beforeAll, expect, it } from 'vitest';
import { buildAnswersCsv, EXPORT_HEADER } from '../../src/export/answersCsv.ts';
import { editAnswer } from '../../src/db/repo/answerEdits.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { exportAnswerBatches, type ExportRow } from '../../src/db/repo/exportAnswers.ts';
import { gradeAnswer, saveFeedback } from '../../src/db/repo/grading.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { answers } from '../../src/db/schema.ts';
import { describeEachEngine } from '../support/database.ts';
import { parseCsv } from '../support/csvParse.ts';
import { bankQuestion, snowflake, suggesting } from '../support/fixtures.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(701);
const otherGuild = snowflake(702);
const instructor = snowflake(703);
const at = new Date('2026-03-10T15:04:05.678Z');

async function collect(batches: AsyncIterable<ExportRow[]>): Promise<ExportRow[][]> {
  const all: ExportRow[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describeEachEngine('exporting answers', (database) => {
  let questionId = 0;
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('jwt-what', { text: 'What is a JWT, "really"?' })], {
      retireMissing: false,
    });
    questionId = (await listQuestions(database().db, guildId, { activeOnly: true }))[0]!.id;
  });

  async function answer(guild: string, userId: string, body: string, localDate: string) {
    const prompt = await insertDailyPrompt(database().db, {
      guildId: guild,
      questionId,
      localDate,
      messageId: 'm',
      closesAt: new Date(at.getTime() + 3_600_000),
    });
    const saved = await recordAnswer(database().db, {
      guildId: guild,
      promptId: prompt!.id,
      userId,
      userName: 'Zoë, "Z"',
      body,
      suggest: suggesting('correct'),
      now: at,
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    return saved.answer.id;
  }

  it('gives one row per answer of the guild with its question, student, grade, grader, feedback and points', async () => {
    const graded = await answer(guildId, snowflake(710), '=HYPERLINK("http://x")', '2026-03-01');
    await saveFeedback(database().db, { guildId, answerId: graded, feedback: 'Good,\nbut say more.' });
    await gradeAnswer(database().db, {
      guildId,
      answerId: graded,
      grade: 'correct',
      graderId: instructor,
      now: at,
      regrade: false,
    });
    const ungraded = await answer(guildId, snowflake(711), 'A token.', '2026-03-02');
    await answer(otherGuild, snowflake(712), 'Elsewhere.', '2026-03-01');
    const rows = (await collect(exportAnswerBatches(database().db, guildId))).flat();
    expect(rows.map((r) => r.answerId)).toEqual([graded, ungraded]);
    expect(rows[0]).toEqual({
      answerId: graded,
      cohortName: 'Cohort 1',
      questionSlug: 'jwt-what',
      questionText: 'What is a JWT, "really"?',
      userId: snowflake(710),
      userName: 'Zoë, "Z"',
      kind: 'daily',
      answeredAt: at,
      body: '=HYPERLINK("http://x")',
      grade: 'correct',
      graderId: instructor,
      feedback: 'Good,\nbut say more.',
      points: 4,
      version: 1,
      editedAt: null,
      earlierVersions: [],
    });
    expect(rows[1]).toMatchObject({ grade: null, graderId: null, feedback: null, points: 1 });

    const file = await buildAnswersCsv(exportAnswerBatches(database().db, guildId));
    if (file.status !== 'ok') throw new Error(file.status);
    const text = file.buffer.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, first, second] = parseCsv(text.slice(1));
    expect(header).toEqual([...EXPORT_HEADER]);
    expect(first).toEqual([
      String(graded),
      'jwt-what',
      'What is a JWT, "really"?',
      snowflake(710),
      'Zoë, "Z"',
      'daily',
      '2026-03-10T15:04:05.678Z',
      `'=HYPERLINK("http://x")`,
      'correct',
      instructor,
      'Good,\nbut say more.',
      '4',
      '1',
      '',
      '',
      'Cohort 1',
    ]);
    expect(second!.slice(8)).toEqual(['', '', '', '1', '1', '', '', 'Cohort 1']);
    expect(file.rows).toBe(2);
  });

  it('shows the latest version of an edited answer, when it was edited, and the earlier versions as JSON', async () => {
    const guild = snowflake(740);
    const answerId = await answer(guild, snowflake(741), 'First, "draft"', '2026-03-05');
    const edit = (fromVersion: number, body: string, now: Date) =>
      editAnswer(database().db, {
        guildId: guild,
        answerId,
        userId: snowflake(741),
        fromVersion,
        body,
        suggest: suggesting('partial'),
        now,
      });
    expect((await edit(1, 'Second,\nline two', new Date(at.getTime() + 60_000))).status).toBe('edited');
    expect((await edit(2, 'Third', new Date(at.getTime() + 120_000))).status).toBe('edited');
    const file = await buildAnswersCsv(exportAnswerBatches(database().db, guild));
    if (file.status !== 'ok') throw new Error(file.status);
    const [header, row] = parseCsv(file.buffer.toString('utf8').slice(1));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell('answer')).toBe('Third');
    expect(cell('answered_at')).toBe('2026-03-10T15:04:05.678Z');
    expect(cell('version')).toBe('3');
    expect(cell('edited_at')).toBe('2026-03-10T15:06:05.678Z');
    expect(JSON.parse(cell('earlier_versions')!)).toEqual([
      { version: 1, submitted_at: '2026-03-10T15:04:05.678Z', answer: 'First, "draft"' },
      { version: 2, submitted_at: '2026-03-10T15:05:05.678Z', answer: 'Second,\nline two' },
    ]);
    expect(row).toHaveLength(EXPORT_HEADER.length);
  });

  it('reads in batches by id across more than one batch, every answer exactly once', async () => {
    const guild = snowflake(720);
    const prompt = await insertDailyPrompt(database().db, {
      guildId: guild,
      questionId,
      localDate: '2026-03-03',
    });
    const other = await insertDailyPrompt(database().db, {
      guildId: otherGuild,
      questionId,
      localDate: '2026-03-03',
    });
    const inserted: number[] = [];
    for (let n = 0; n < 7; n += 1) {
      const values = {
        guildId: guild,
        cohortId: prompt!.cohortId,
        promptId: prompt!.id,
        questionId,
        kind: 'daily' as const,
        userId: snowflake(730 + n),
        userName: 'S',
        body: `b${n}`,
        firstForQuestion: true,
      };
      inserted.push((await database().db.insert(answers).values(values).returning())[0]!.id);
      // Answers of another guild between them do not count and do not shorten a batch.
      await database()
        .db.insert(answers)
        .values({ ...values, guildId: otherGuild, cohortId: other!.cohortId, promptId: other!.id });
    }
    const batches = await collect(exportAnswerBatches(database().db, guild, { batchSize: 3 }));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((r) => r.answerId)).toEqual(inserted);
    const exact = await collect(exportAnswerBatches(database().db, guild, { batchSize: 7 }));
    expect(exact.map((b) => b.length)).toEqual([7]);
    expect(await collect(exportAnswerBatches(database().db, snowflake(799), { batchSize: 3 }))).toEqual([]);
  });

  it('stops reading and says so when the file would pass the attachment limit', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<ExportRow[]> {
      const row = (await collect(exportAnswerBatches(database().db, guildId)))[0]![0]!;
      for (;;) {
        pulled += 1;
        yield [row, row];
      }
    }
    const file = await buildAnswersCsv(endless(), 2_000);
    expect(file.status).toBe('too-big');
    expect(pulled).toBeLessThan(20);
    expect(file.rows).toBe(pulled * 2);
  });
});
