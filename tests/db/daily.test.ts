import { and, eq } from 'drizzle-orm';
import { assert, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import {
  CLAIM_LEASE_MS,
  claimClosings,
  claimDailyPost,
  claimPostRefresh,
  claimReveal,
  markDailyPosted,
  markRevealed,
} from '../../src/db/repo/daily.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import { prompts } from '../../src/db/schema.ts';
import { describeEachEngine, type Engine } from '../support/database.ts';
import { bankQuestion, snowflake } from '../support/fixtures.ts';
import { ensureServerCohort } from '../../src/db/repo/cohorts.ts';

const guildId = snowflake(11);
const channelId = snowflake(12);
const at = (iso: string) => new Date(iso);

describeEachEngine('claiming daily posts', (database, engine: Engine) => {
  beforeAll(async () => {
    await syncQuestions(
      database().db,
      null,
      ['a', 'b', 'c'].map((slug) => bankQuestion(slug)),
      { retireMissing: true },
    );
  });
  const claim = async (localDate: string, now: Date, db = database().db) =>
    claimDailyPost(db, { cohort: await ensureServerCohort(db, guildId), localDate, channelId, now });
  const postsOn = (localDate: string) =>
    database()
      .db.select()
      .from(prompts)
      .where(and(eq(prompts.guildId, guildId), eq(prompts.localDate, localDate)));

  it('a tick run twice claims the day once', async () => {
    const first = await claim('2026-03-01', at('2026-03-01T09:00:00Z'));
    const second = await claim('2026-03-01', at('2026-03-01T09:01:00Z'));
    expect(first.status).toBe('claimed');
    expect(second.status).toBe('taken');
    expect(await postsOn('2026-03-01')).toHaveLength(1);
  });

  it('ticks racing (two processes on one database) claim the day once', async () => {
    const others =
      engine === 'postgres'
        ? await Promise.all([1, 2, 3].map(() => openPostgres((database() as unknown as { url: string }).url)))
        : [];
    const dbs = others.length > 0 ? others.map((other) => other.db) : [database().db, database().db, database().db];
    const results = await Promise.all(dbs.map((db) => claim('2026-03-02', at('2026-03-02T09:00:00Z'), db)));
    await Promise.all(others.map((other) => other.close()));
    expect(results.filter((result) => result.status === 'claimed')).toHaveLength(1);
    expect(await postsOn('2026-03-02')).toHaveLength(1);
  });

  it('after a crash between claim and send, the day is retried once the lease has passed, not before', async () => {
    const crashed = await claim('2026-03-03', at('2026-03-03T09:00:00Z'));
    expect(crashed.status).toBe('claimed');
    expect((await claim('2026-03-03', at('2026-03-03T09:01:00Z'))).status).toBe('taken');
    const retry = await claim('2026-03-03', new Date(at('2026-03-03T09:00:00Z').getTime() + CLAIM_LEASE_MS + 1000));
    expect(retry.status).toBe('claimed');
    assert(retry.status === 'claimed' && crashed.status === 'claimed');
    expect(retry.prompt.id).toBe(crashed.prompt.id);
    expect(await postsOn('2026-03-03')).toHaveLength(1);
  });

  it('a posted day is never claimed again, however late', async () => {
    const posted = await claim('2026-03-04', at('2026-03-04T09:00:00Z'));
    if (posted.status !== 'claimed') throw new Error('not claimed');
    await markDailyPosted(database().db, posted.prompt.id, {
      messageId: snowflake(99),
      channelId,
      postedAt: at('2026-03-04T09:00:01Z'),
      closesAt: at('2026-03-05T09:00:01Z'),
    });
    expect((await claim('2026-03-04', at('2026-03-04T23:00:00Z'))).status).toBe('taken');
  });

  it('rotates through the bank without repeats until every question was asked; an unposted claim was not asked', async () => {
    const other = snowflake(13);
    const postDay = async (localDate: string, posted = true) => {
      const claimed = await claimDailyPost(database().db, {
        cohort: await ensureServerCohort(database().db, other),
        localDate,
        channelId,
        now: at(`${localDate}T09:00:00Z`),
      });
      if (claimed.status !== 'claimed') throw new Error(claimed.status);
      if (posted) {
        await markDailyPosted(database().db, claimed.prompt.id, {
          messageId: snowflake(200 + Number(localDate.slice(-2))),
          channelId,
          postedAt: at(`${localDate}T09:00:00Z`),
          closesAt: at(`${localDate}T10:00:00Z`),
        });
      }
      return claimed.prompt.questionId;
    };
    const never = await postDay('2026-05-01', false);
    const asked = [await postDay('2026-05-02'), await postDay('2026-05-03'), await postDay('2026-05-04')];
    expect(asked[0]).toBe(never);
    expect(new Set(asked).size).toBe(3);
    expect(await postDay('2026-05-05')).toBe(asked[0]);
  });

  it('closes a post whose window ended exactly once, and claims its reveal once', async () => {
    const now = at('2026-03-05T10:00:00Z');
    const closings = await Promise.all([claimClosings(database().db, now), claimClosings(database().db, now)]);
    expect(closings.flat().map((row) => row.localDate)).toEqual(['2026-03-04']);
    const reveal = await claimReveal(database().db, now);
    expect(reveal?.localDate).toBe('2026-03-04');
    expect(await claimReveal(database().db, now)).toBeUndefined();
    await markRevealed(database().db, reveal!.id, snowflake(100));
    expect(await claimReveal(database().db, new Date(now.getTime() + CLAIM_LEASE_MS * 2))).toBeUndefined();
  });

  /** Three connections on PostgreSQL, as three processes have; PGlite has one process, so its one connection thrice. */
  async function racingConnections() {
    const others =
      engine === 'postgres'
        ? await Promise.all([1, 2, 3].map(() => openPostgres((database() as unknown as { url: string }).url)))
        : [];
    const dbs = others.length > 0 ? others.map((other) => other.db) : [database().db, database().db, database().db];
    return { dbs, close: () => Promise.all(others.map((other) => other.close())) };
  }

  it('processes ticking at once close a post once and claim its reveal once', async () => {
    const claimed = await claim('2026-04-10', at('2026-04-10T09:00:00Z'));
    assert(claimed.status === 'claimed');
    const closesAt = at('2026-04-11T09:00:00Z');
    await markDailyPosted(database().db, claimed.prompt.id, {
      messageId: snowflake(110),
      channelId,
      postedAt: at('2026-04-10T09:00:00Z'),
      closesAt,
    });
    const { dbs, close } = await racingConnections();
    try {
      const closings = await Promise.all(dbs.flatMap((db) => [db, db].map((each) => claimClosings(each, closesAt))));
      const closedIds = closings.flat().map((row) => row.id);
      expect(closedIds.filter((id) => id === claimed.prompt.id)).toHaveLength(1);
      expect(new Set(closedIds).size).toBe(closedIds.length);
      const reveals = await Promise.all(dbs.flatMap((db) => [db, db].map((each) => claimReveal(each, closesAt))));
      const revealIds = reveals.flatMap((row) => (row ? [row.id] : []));
      expect(revealIds.filter((id) => id === claimed.prompt.id)).toHaveLength(1);
      expect(new Set(revealIds).size).toBe(revealIds.length);
    } finally {
      await close();
    }
  });

  it("a post's answer-count refresh is claimed once per window whatever connections race, and again once it ends", async () => {
    const burst = await claim('2026-04-12', at('2026-04-12T09:00:00Z'));
    const later = await claim('2026-04-13', at('2026-04-13T09:00:00Z'));
    assert(burst.status === 'claimed' && later.status === 'claimed');
    const { dbs, close } = await racingConnections();
    try {
      const claims = await Promise.all(
        dbs.flatMap((db) => Array.from({ length: 5 }, () => claimPostRefresh(db, burst.prompt.id, 60_000))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await close();
    }
    // A window that has ended (its process refreshed, or died) is claimed by the next answer, once.
    expect(await claimPostRefresh(database().db, later.prompt.id, 0)).toBe(true);
    expect(await claimPostRefresh(database().db, later.prompt.id, 60_000)).toBe(true);
    expect(await claimPostRefresh(database().db, later.prompt.id, 60_000)).toBe(false);
  });
});
