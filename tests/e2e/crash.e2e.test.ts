import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, pointsLedger, prompts } from '../../src/db/schema.ts';
import type { Actor, InteractionResult } from '../fake-discord/index.ts';
import { startWorld, textOf, type World } from './world.ts';

const STUDENTS = 40;
const WAVE_SIZE = 5;
const WAVE_GAP_MS = 40;
/** Kill the bot once this many students have their receipt, so the rest of the burst is in flight. */
const KILL_AFTER_RECEIPTS = 5;

/** The receipt of a stored answer ("Saved ✓ … is saved"), not a "NOT saved" apology. */
const isReceipt = (text: string) => /Saved ✓/.test(text) && !/NOT saved/i.test(text);

const bodyOf = (student: Actor) =>
  `Answer of ${student.name}: a signed token with claims, used to authenticate. id=${student.id}`;

describe('the bot killed (SIGKILL) in the middle of a burst of answers', () => {
  let world: World;
  let cohort: Actor[];
  let postId: string;
  let killedPid: number | undefined;
  const acknowledged = new Set<string>();
  const lost = new Set<string>();

  beforeAll(async () => {
    world = await startWorld();
    // Students who join after the bot connected: interactions carry their member data, no cache needed.
    cohort = [...world.students];
    for (let n = cohort.length; n < STUDENTS; n += 1) cohort.push(world.guild.addStudent(`Student ${n + 1}`));
    await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '09:00',
      timezone: 'Europe/Berlin',
    });
    const posted = await world.instructor.run('daily post');
    expect(textOf(posted.message)).toMatch(/Posted/);
    postId = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!.id;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('every answer a student was told is saved survives the kill, and the killed process leaves no broken state', async () => {
    const post = world.fake.message(postId)!;
    await Promise.all(cohort.map((student) => student.click(post, 'Answer')));
    killedPid = world.bot.pid;

    // The answers go out in waves, concurrently within a wave. The test process hosts the local Discord, so the
    // kill goes out the moment it records the Nth receipt: later answers are then queued in the bot, mid-transaction,
    // committed but unacknowledged, or sent to a dead process, whatever the speed of the machine.
    let receipts = 0;
    let killing: Promise<void> | undefined;
    const burst: Promise<InteractionResult>[] = [];
    for (const [index, student] of cohort.entries()) {
      if (index > 0 && index % WAVE_SIZE === 0) await sleep(WAVE_GAP_MS);
      burst.push(
        student.submitModal(bodyOf(student)).then((result) => {
          if (isReceipt(textOf(result.message)) && ++receipts === KILL_AFTER_RECEIPTS) killing = world.bot.kill();
          return result;
        }),
      );
    }
    const outcomes = await Promise.allSettled(burst);
    await (killing ?? world.bot.kill());

    outcomes.forEach((outcome, index) => {
      const student = cohort[index]!;
      if (outcome.status === 'fulfilled' && isReceipt(textOf(outcome.value.message))) acknowledged.add(student.id);
      else lost.add(student.id);
    });
    process.stdout.write(
      `crash burst: ${acknowledged.size} acknowledged as saved, ${lost.size} unanswered when the bot was killed\n`,
    );
    expect(world.bot.signal).toBe('SIGKILL');
    // The kill really happened mid-burst: some students got their receipt, others never heard back.
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_RECEIPTS);
    expect(lost.size).toBeGreaterThanOrEqual(1);
    // The killed process could not remove its lock file: the next start must take it over.
    const lockPath = path.join(world.dataDir, 'bot.lock');
    expect(existsSync(lockPath)).toBe(true);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(killedPid);

    await world.restartBot();
    expect(world.bot.pid).not.toBe(killedPid);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(world.bot.pid);
  });

  it('after the restart, students who heard nothing can submit again, and each ends with exactly one answer', async () => {
    const post = world.fake.message(postId)!;
    const retried = new Map<string, InteractionResult>();
    for (const student of cohort.filter((s) => lost.has(s.id))) {
      await student.click(post, 'Answer');
      retried.set(student.id, await student.submitModal(`${bodyOf(student)} (sent again)`));
    }
    for (const [id, result] of retried) {
      const text = textOf(result.message);
      expect(isReceipt(text) || /already received/.test(text), `retry of ${id}: ${text}`).toBe(true);
    }
    const committedUnheard = [...retried.values()].filter((result) =>
      /already received/.test(textOf(result.message)),
    ).length;
    process.stdout.write(
      `after the restart: ${retried.size - committedUnheard} saved on retry, ${committedUnheard} had been stored before the kill without a receipt\n`,
    );
    // Those who were told "saved" are told their answer is there, not offered a second one.
    for (const student of cohort.filter((s) => acknowledged.has(s.id)).slice(0, 3)) {
      await student.click(post, 'Answer');
      expect(textOf((await student.submitModal('A second try')).message)).toMatch(/already received/);
    }
    const queue = await world.instructor.run('review', { kind: 'daily' });
    expect(textOf(queue.message)).toMatch(new RegExp(`Review · ${STUDENTS} left`));
    world.expectHealthy();
  });

  it('the database holds one answer and one answer point per student, with every acknowledged text as it was sent', async () => {
    const stored = await world.inspectDatabase(async ({ db }) => {
      const [prompt] = await db.select().from(prompts).where(eq(prompts.messageId, postId));
      const rows = await db.select().from(answers).where(eq(answers.promptId, prompt!.id));
      const points = await db
        .select({
          userId: pointsLedger.userId,
          n: sql<number>`count(*)::int`,
          total: sql<number>`sum(${pointsLedger.points})::int`,
        })
        .from(pointsLedger)
        .where(eq(pointsLedger.reason, 'daily_answer'))
        .groupBy(pointsLedger.userId);
      return { rows, points };
    });
    const byStudent = new Map<string, string[]>();
    for (const row of stored.rows) byStudent.set(row.userId, [...(byStudent.get(row.userId) ?? []), row.body]);
    expect(stored.rows).toHaveLength(STUDENTS);
    expect(byStudent.size).toBe(STUDENTS);
    for (const student of cohort) expect(byStudent.get(student.id) ?? [], `answers of ${student.name}`).toHaveLength(1);
    const confirmed = cohort.filter((student) => acknowledged.has(student.id));
    expect(confirmed.map((student) => byStudent.get(student.id)?.[0])).toEqual(confirmed.map(bodyOf));
    expect(stored.points).toHaveLength(STUDENTS);
    expect(stored.points.every((row) => row.n === 1 && row.total === 1)).toBe(true);
  });
});
