import { describe, expect, it } from 'vitest';
import { connectionCount } from '../../src/db/client.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';
import { testDatabaseUrl } from '../support/database.ts';
import { bankQuestion, emptyRubric, snowflake, suggesting } from '../support/fixtures.ts';
import { useProxiedTestPostgres } from '../support/tcpProxy.ts';

const guildId = snowflake(1);

describe.runIf(testDatabaseUrl)('the statements of an answer [postgres]', () => {
  const proxied = useProxiedTestPostgres(testDatabaseUrl);

  it('are parsed once per pooled connection, not once per answer (an unprepared statement costs a round trip more)', async () => {
    const { database, proxy } = proxied();
    await syncQuestions(database.db, null, [bankQuestion('jwt-what', { rubric: emptyRubric })], {
      retireMissing: true,
    });
    const [question] = await listQuestions(database.db, guildId, { activeOnly: true });
    const daily = await insertDailyPrompt(database.db, {
      guildId,
      questionId: question!.id,
      localDate: '2026-12-02',
      closesAt: new Date(Date.now() + 3_600_000),
    });
    const students = 3 * connectionCount(database.db);
    for (let i = 0; i < students; i += 1) {
      const result = await recordAnswer(database.db, {
        guildId,
        promptId: daily.id,
        userId: snowflake(100 + i),
        userName: `Student ${i}`,
        body: 'A signed token.',
        suggest: suggesting('correct'),
        now: new Date(),
      });
      expect(result.status).toBe('saved');
    }
    const writes = proxy.parsed.filter((text) => text.includes('insert into answers'));
    // The read gathers each student's earlier answers to the question (json_agg); the write inserts the answers.
    const reads = proxy.parsed.filter((text) => text.includes('json_agg') && !text.includes('insert into answers'));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(connectionCount(database.db));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThanOrEqual(connectionCount(database.db));
  });
});
