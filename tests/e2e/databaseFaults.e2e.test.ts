import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, grades, guildSettings, pointsLedger } from '../../src/db/schema.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';
import { holdTableLock } from '../support/tableLock.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { TcpProxy } from '../support/tcpProxy.ts';
import type { InteractionResult } from '../fake-discord/index.ts';
import { startWorld, textOf, type World } from './world.ts';

describe.runIf(testDatabaseUrl)('the database going away under a running bot (PostgreSQL)', () => {
  let world: World;
  let database: TestDatabase & { url: string };
  let proxy: TcpProxy;
  beforeAll(async () => {
    database = await openTestPostgres(testDatabaseUrl!);
    const proxied = await TcpProxy.inFrontOf(database.url);
    proxy = proxied.proxy;
    world = await startWorld({ databaseUrl: proxied.url });
  });
  afterAll(async () => {
    await world?.close();
    await proxy?.close();
    await database?.destroy();
  });

  /** What the instructor saw after a click: the follow-up if there was one (an error after a deferral), else the response. */
  const outcomeText = (result: InteractionResult) => textOf(result.followUps[0] ?? result.message);

  const storedAnswers = (userId: string) => database.db.select().from(answers).where(eq(answers.userId, userId));

  it('an answer submitted while the connection is down is not "saved", and the next submit works', async () => {
    const ada = world.students[0];
    const quiz = await ada.run('quiz');
    await ada.click(quiz.message!, 'Answer');
    await proxy.cut();
    const failed = await ada.submitModal('Written during the outage');
    expect(failed.latencyMs).toBeLessThan(3000);
    expect(textOf(failed.message)).toMatch(/NOT saved[\s\S]*again/);
    expect(textOf(failed.message)).not.toMatch(/Saved ✓/);
    expect(await storedAnswers(ada.id)).toEqual([]);

    await proxy.resume();
    await ada.click(quiz.message!, 'Answer');
    const saved = await ada.submitModal('Written after the outage');
    expect(textOf(saved.message)).toContain('Saved');
    expect((await storedAnswers(ada.id)).map((row) => row.body)).toEqual(['Written after the outage']);
    expect(world.bot.exitCode).toBeNull();
  });

  it('a grade click during an outage changes nothing, and its retry awards the points once', async () => {
    const queue = await world.instructor.run('review');
    const card = queue.message!;
    const gradeId = (card.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;
    await proxy.cut();
    const failed = await world.instructor.forgeComponentInteraction(card, gradeId);
    // A quick failure is the first response; a slow one is deferred first and told in a follow-up.
    if (failed.kind === 'deferredUpdate') await failed.waitForFollowUps(1, CONDITION_TIMEOUT_MS);
    expect(textOf(failed.kind === 'deferredUpdate' ? failed.followUps[0] : failed.message)).toMatch(
      /database is unavailable/,
    );
    await proxy.resume();
    // The instructor clicks again until the database answers (the pool reconnects on the next statement; on a busy
    // machine the first click after the database is back may still be told it is unavailable).
    const deadline = Date.now() + CONDITION_TIMEOUT_MS;
    let retry = await world.instructor.forgeComponentInteraction(card, gradeId);
    while (
      /database is unavailable/.test(outcomeText(retry)) &&
      !/Graded/.test(outcomeText(retry)) &&
      Date.now() < deadline
    )
      retry = await world.instructor.forgeComponentInteraction(card, gradeId);
    expect(outcomeText(retry), `the click's response: ${retry.kind}`).toMatch(/Graded/);
    const again = await world.instructor.forgeComponentInteraction(card, gradeId);
    await again.waitForFollowUps(1, CONDITION_TIMEOUT_MS).catch((error: Error) => {
      throw new Error(`${error.message}; the click's response: ${again.kind}, "${textOf(again.message)}"`);
    });
    expect(textOf(again.followUps[0])).toMatch(/already graded/);
    const [row] = await database.db
      .select({ total: sql<number>`sum(${pointsLedger.points})::int`, rows: sql<number>`count(*)::int` })
      .from(pointsLedger)
      .where(eq(pointsLedger.userId, world.students[0].id));
    expect(row).toEqual({ total: 2, rows: 1 });
    expect(world.bot.exitCode).toBeNull();
  });

  it('a grade saved when the next card cannot be read says it was saved, not that nothing was', async () => {
    const student = world.students[1];
    const quiz = await student.run('quiz');
    await student.click(quiz.message!, 'Answer');
    expect(textOf((await student.submitModal('Graded while the queue cannot be read')).message)).toContain('Saved');
    const card = (await world.instructor.run('review')).message!;
    const gradeId = (card.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;
    // Another connection holds a table the next card's read needs (open regrade requests) and the grade does not.
    const lock = await holdTableLock(database.url, 'regrade_requests');
    try {
      const click = await world.instructor.forgeComponentInteraction(card, gradeId);
      expect(outcomeText(click)).toMatch(/✓ Graded[\s\S]*could not be loaded \(the database is busy/);
      expect(outcomeText(click)).not.toMatch(/nothing was saved/);
    } finally {
      await lock.release();
    }
    const [answer] = await storedAnswers(student.id);
    const stored = await database.db.select().from(grades).where(eq(grades.answerId, answer!.id));
    expect(stored.map((grade) => grade.grade)).toEqual(['correct']);
    expect(world.bot.logs.filter((line) => line.includes('the next review card could not be read'))).toHaveLength(1);
    expect(textOf((await world.instructor.run('review')).message)).toMatch(/Nothing left to review/);
  });

  it('a /setup change saved when its settings cannot be read says it was saved, not that nothing was', async () => {
    const role = world.guild.createRole('Mentors');
    // A daily schedule (its post hours away), so that the settings' reply reads the cohort's posts.
    const time = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(11, 16);
    await world.instructor.run('setup daily', { channel: { id: world.guild.cohortChannel.id }, time, timezone: 'UTC' });
    // Another connection holds a table the settings' reply reads (each cohort's next post) and the change does not.
    const lock = await holdTableLock(database.url, 'prompts');
    try {
      const reply = await world.instructor.run('setup instructors', { role: { id: role.id } });
      expect(outcomeText(reply)).toMatch(
        /Saved\. The settings could not be shown \(the database is busy[\s\S]*\/setup show/,
      );
      expect(outcomeText(reply)).not.toMatch(/nothing was saved/);
    } finally {
      await lock.release();
    }
    const [setting] = await database.db.select().from(guildSettings);
    expect(setting?.instructorRoleId).toBe(role.id);
    expect(
      world.bot.logs.filter((line) => line.includes('the settings could not be read after a change')),
    ).toHaveLength(1);
  });
});
