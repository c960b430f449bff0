/**
 * `npm run demo:charts`: plays three weeks of a demo cohort into a temporary embedded database through the
 * bot's own repository functions (daily posts, answers, grades and their points), then renders the /stats chart
 * and one student's /me chart from that database to docs/stats-chart.png and docs/me-chart.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { progressChartData, statsChartData } from '../../src/db/repo/charts.ts';
import { claimDailyPost, markDailyPosted } from '../../src/db/repo/daily.ts';
import { gradeAnswer } from '../../src/db/repo/grading.ts';
import { updateServerCohort } from '../support/cohortRows.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import { renderProgressChart, renderStatsChart } from '../../src/discord/render/charts/index.ts';
import { loadShippedBank } from '../../src/quiz/bank/bank.ts';
import { addLocalDays, instantAtLocalTime, isoWeekday } from '../../src/quiz/schedule.ts';
import type { Grade } from '../../src/quiz/types.ts';

const guildId = '100000000000000001';
const instructorId = '100000000000000002';
const timeZone = 'Europe/Berlin';
const students = [
  'Ada',
  'Linus',
  'Margaret',
  'Grace',
  'Alan',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Katherine',
].map((name, n) => ({
  name,
  id: String(200000000000000000n + BigInt(n)),
  /** How likely this student answers a given day, and how well. */
  keen: 0.95 - n * 0.045,
  skill: 0.9 - ((n * 7) % 12) * 0.05,
}));

/** A fixed pseudo-random sequence, so the demo draws the same charts every run. */
let seed = 20;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-charts-demo-'));
const database = await openPglite(dataDir);
try {
  await migrateDatabase(database);
  const { db } = database;
  await syncQuestions(db, null, loadShippedBank(), { retireMissing: false });
  const cohort = await updateServerCohort(db, guildId, { timeZone });

  // 14 weekday posts at 09:00 Berlin time, from Monday 9 November 2026; the last two are not all graded yet.
  let day = '2026-11-09';
  const posts: string[] = [];
  while (posts.length < 14) {
    if (isoWeekday(day) <= 5) posts.push(day);
    day = addLocalDays(day, 1);
  }
  for (const [index, localDate] of posts.entries()) {
    const postedAt = instantAtLocalTime(localDate, 9, 0, timeZone);
    const claim = await claimDailyPost(db, { cohort, localDate, channelId: '300000000000000001', now: postedAt });
    if (claim.status !== 'claimed') throw new Error(`daily post of ${localDate}: ${claim.status}`);
    await markDailyPosted(db, claim.prompt.id, {
      messageId: `4000000000000000${index}`,
      channelId: '300000000000000001',
      postedAt,
      closesAt: new Date(postedAt.getTime() + 24 * 3600_000),
    });
    const difficulty = random() * 0.3;
    for (const student of students) {
      if (random() > student.keen - (index > 9 ? 0.15 : 0)) continue;
      const answeredAt = new Date(postedAt.getTime() + (1 + random() * 10) * 3600_000);
      const saved = await recordAnswer(db, {
        guildId,
        promptId: claim.prompt.id,
        userId: student.id,
        userName: student.name,
        body: `${student.name}'s answer`,
        suggest: () => null,
        now: answeredAt,
      });
      if (saved.status !== 'saved') throw new Error(`answer of ${student.name} on ${localDate}: ${saved.status}`);
      if (index >= 12 && random() < 0.6) continue;
      const roll = random() + difficulty - student.skill * 0.6;
      const grade: Grade = roll < 0.35 ? 'correct' : roll < 0.6 ? 'partial' : 'incorrect';
      await gradeAnswer(db, {
        guildId,
        answerId: saved.answer.id,
        grade,
        graderId: instructorId,
        now: new Date(answeredAt.getTime() + 6 * 3600_000),
        regrade: false,
      });
    }
  }

  const now = instantAtLocalTime('2026-11-27', 18, 0, timeZone);
  const statsChart = await renderStatsChart(await statsChartData(db, guildId));
  const ada = students[0]!;
  const meChart = await renderProgressChart(
    await progressChartData(db, { cohortId: cohort.id, userId: ada.id, now, timeZone }),
  );
  for (const [file, chart] of [
    ['docs/stats-chart.png', statsChart],
    ['docs/me-chart.png', meChart],
  ] as const) {
    writeFileSync(file, chart.png);
    process.stdout.write(
      `${file} (${chart.width}x${chart.height}, ${chart.png.length} bytes)\nalt text: ${chart.altText}\n\n`,
    );
  }
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
