import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/lifecycle.ts';
import { CONDITION_TIMEOUT_MS, MAIN_ENTRY, PROCESS_TEST_TIMEOUT_MS, runScript } from '../support/botProcess.ts';
import { startCohorts, type Cohort, type CohortsWorld } from '../support/cohorts.ts';
import { templateDir } from '../support/pgliteTemplate.ts';
import { textOf } from './world.ts';

/** The fake's interaction tokens start with base64("interaction:"). */
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb246[\w-]{20,}/;

/** Starts the bot expecting it to refuse and exit; waits for the exit however long a busy machine takes. */
async function failedStart(env: Record<string, string>): Promise<string> {
  // A migrated embedded database, so a start that gets as far as Discord does not spend seconds in initdb.
  if (env.DATA_DIR) cpSync(templateDir(), path.join(env.DATA_DIR, 'pglite'), { recursive: true });
  const result = await runScript(MAIN_ENTRY, [], env);
  expect(result.output).not.toMatch(/"msg":"ready"/);
  // 78: a setting to fix (the token); 1: Discord or the database could not be reached.
  expect([EXIT.failed, EXIT.needsOperator], result.output).toContain(result.code);
  return result.output;
}

describe('secrets never reach the logs', () => {
  let world: CohortsWorld;
  let cohort: Cohort;
  let dataDir: string;

  beforeAll(async () => {
    world = await startCohorts({ guilds: 1, logLevel: 'trace' });
    [cohort] = world.cohorts as [Cohort];
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-secrets-'));
  });
  afterAll(async () => {
    await world?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'a whole run at LOG_LEVEL=trace, failures included, never logs the bot token',
    async () => {
      const [ada, linus] = cohort.students as [typeof cohort.instructor, typeof cohort.instructor];
      await cohort.instructor.run('setup daily', {
        channel: { id: cohort.channelId },
        time: '09:00',
        timezone: 'Europe/Berlin',
      });
      // Failures that get logged with their error objects: a 500 on the post, a failed reply, closed DMs, a dropped gateway.
      world.fake.faults.rest({
        method: 'POST',
        route: `/channels/${cohort.channelId}/messages`,
        status: 500,
        times: 10,
      });
      await cohort.instructor.run('daily post');
      world.fake.clearFaults();
      world.fake.faults.rest({ method: 'POST', route: /\/callback$/, status: 500, times: 4 });
      await expect(ada.run('quiz')).rejects.toThrow(/did not acknowledge/);
      world.fake.clearFaults();
      const quiz = await ada.run('quiz');
      await ada.click(quiz.message!, 'Answer');
      expect(textOf((await ada.submitModal('A signed token with claims')).message)).toMatch(/Saved/);
      world.fake.closeDms(ada);
      const card = (await cohort.instructor.run('review')).message!;
      await cohort.instructor.click(card, 'Correct');
      await world.bot.waitForLog(/DMs closed/, CONDITION_TIMEOUT_MS);
      world.fake.dropGateway();
      await world.fake.waitFor(() => world.fake.gatewayStats.resumes >= 1, CONDITION_TIMEOUT_MS, 'the resume');
      await linus.forgeComponentInteraction(null, 'review:grade:1:correct:0:0:all:0:1');
      await cohort.instructor.run('export');
      await world.bot.stop();

      const logs = world.bot.logs.join('\n');
      // The failures were logged, with their error objects.
      expect(logs).toMatch(/"level":50[^\n]*"err":\{"type":"HTTPError"/);
      expect(logs).toMatch(/DMs closed/);
      const [, , signature] = world.fake.token.split('.');
      expect(logs).not.toContain(world.fake.token);
      expect(logs).not.toContain(signature!);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it('the same run never logs an interaction token (a 15-minute credential to post as the bot), not even in a failed request URL', () => {
    const logs = world.bot.logs.join('\n');
    expect(logs).toMatch(/"msg":"stopping"/);
    expect(logs.match(INTERACTION_TOKEN)?.[0] ?? null, 'an interaction token in the logs').toBeNull();
  });

  it(
    'a start-up with a badly shaped or wrong token names DISCORD_TOKEN and never echoes it',
    async () => {
      const [, , signature] = world.fake.token.split('.');
      const cases: [string, RegExp][] = [
        ['not a token SECRET-one-1234567890', /DISCORD_TOKEN does not look like a bot token/],
        [`Bot ${world.fake.token}`, /DISCORD_TOKEN does not look like a bot token/],
        ['SECRETtwoAAAA.BBBB', /DISCORD_TOKEN does not look like a bot token/],
        ['MTIzNDU2Nzg5MDEyMzQ1Njc4.SECRET.threeSECRETthreeSECRETthree', /Discord rejected DISCORD_TOKEN/],
      ];
      // Independent processes, each with its own DATA_DIR, started together to keep the file short.
      const outputs = await Promise.all(
        cases.map(([token], index) =>
          failedStart({
            DISCORD_TOKEN: token,
            DISCORD_API_URL: world.fake.apiUrl,
            DATA_DIR: path.join(dataDir, `token-${index}`),
            LOG_LEVEL: 'trace',
          }),
        ),
      );
      for (const [index, [token, pattern]] of cases.entries()) {
        const output = outputs[index]!;
        expect(output, token).toMatch(pattern);
        expect(output, token).not.toContain(token);
        expect(output, token).not.toMatch(/SECRET/);
        expect(output, token).not.toContain(signature!);
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'a start-up that cannot reach Discord or the database names the variable, not the token or the password',
    async () => {
      const password = 'Pa55-SECRET-word';
      const urls = [`postgres://quizbot:${password}@127.0.0.1:1/quiz`, `postgres://quizbot:${password}@/quiz`];
      const [unreachableApi, ...databaseOutputs] = await Promise.all([
        failedStart({
          DISCORD_TOKEN: world.fake.token,
          DISCORD_API_URL: 'http://127.0.0.1:1/api',
          DATA_DIR: path.join(dataDir, 'api'),
        }),
        ...urls.map((url) =>
          failedStart({ DISCORD_TOKEN: world.fake.token, DISCORD_API_URL: world.fake.apiUrl, DATABASE_URL: url }),
        ),
      ]);
      expect(unreachableApi).toMatch(/DISCORD_API_URL/);
      expect(unreachableApi).not.toContain(world.fake.token);
      for (const [index, url] of urls.entries()) {
        const output = databaseOutputs[index]!;
        expect(output, url).toMatch(/DATABASE_URL/);
        expect(output, url).not.toContain(password);
        expect(output, url).not.toContain(world.fake.token);
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
