import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, pointsLedger } from '../../src/db/schema.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { TcpProxy } from '../support/tcpProxy.ts';
import { startWorld, textOf, type World } from './world.ts';

describe.runIf(testDatabaseUrl)('the database going away under a running bot (PostgreSQL)', () => {
  let world: World;
  let database: TestDatabase & { url: string };
  let proxy: TcpProxy;
  beforeAll(async () => {
    database = await openTestPostgres(testDatabaseUrl!);
    const url = new URL(database.url);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    world = await startWorld({ databaseUrl: url.toString() });
  });
  afterAll(async () => {
    await world?.close();
    await proxy?.close();
    await database?.destroy();
  });

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
    await world.instructor.forgeComponentInteraction(card, gradeId);
    const retried = await world.instructor.forgeComponentInteraction(card, gradeId);
    await retried.waitForFollowUps(1, CONDITION_TIMEOUT_MS);
    expect(textOf(retried.followUps[0])).toMatch(/already graded/);
    const [row] = await database.db
      .select({ total: sql<number>`sum(${pointsLedger.points})::int`, rows: sql<number>`count(*)::int` })
      .from(pointsLedger)
      .where(eq(pointsLedger.userId, world.students[0].id));
    expect(row).toEqual({ total: 2, rows: 1 });
    expect(world.bot.exitCode).toBeNull();
  });
});
