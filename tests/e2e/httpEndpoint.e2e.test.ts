import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers } from '../../src/db/schema.ts';
import { MAX_INTERACTION_BYTES } from '../../src/discord/interactionsEndpoint.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { runScript, startBot, type BotProcess } from '../support/botProcess.ts';
import { expectHealthy } from '../support/health.ts';
import { freePort } from '../support/freePort.ts';
import { templateDir } from '../support/pgliteTemplate.ts';
import { FakeDiscord, type Actor, type Guild } from '../fake-discord/index.ts';
import { textOf } from './world.ts';

const DEPLOY = path.join(import.meta.dirname, '../../src/cli/deployCommands.ts');

/** A POST to the bot's endpoint as someone other than Discord would send it. */
function postUnverified(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe.runIf(testDatabaseUrl)(
  'the HTTP interactions endpoint: PROCESS_ROLE=http on PostgreSQL',
  { timeout: 240_000 },
  () => {
    let fake: FakeDiscord;
    let guild: Guild;
    let instructor: Actor;
    let students: Actor[];
    let database: TestDatabase & { url: string };
    let bot: BotProcess;
    let url: string;

    beforeAll(async () => {
      fake = await FakeDiscord.start();
      guild = fake.createGuild({ name: 'Bootcamp Cohort 9' });
      instructor = guild.addInstructor('Grace (instructor)');
      students = Array.from({ length: 10 }, (_, i) => guild.addStudent(`Student ${i + 1}`));
      database = await openTestPostgres(testDatabaseUrl!);
      const port = await freePort();
      const env = {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: guild.id,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
      };
      // An http process registers no commands: the gateway processes (here the deploy tool) do.
      const deployed = await runScript(DEPLOY, [], env);
      expect(deployed.code, deployed.output).toBe(0);
      bot = await startBot({
        env: { ...env, PROCESS_ROLE: 'http', INTERACTIONS_PORT: String(port), DISCORD_PUBLIC_KEY: fake.publicKey },
      });
      url = `http://127.0.0.1:${port}/interactions`;
      await fake.setInteractionsEndpoint([url]);
    });

    afterAll(async () => {
      await bot?.stop();
      await fake?.close();
      await database?.destroy();
    });

    it('starts without logging in to the gateway, and says ready with its port', () => {
      expect(fake.connectedSessions).toBe(0);
      expect(fake.gatewayStats).toMatchObject({ identifies: 0 });
      expect(bot.logs.find((line) => line.includes('"msg":"ready"'))).toContain(`"port":${new URL(url).port}`);
    });

    it('/quiz, the answer modal and its receipt, all answered in HTTP replies', async () => {
      const ada = students[0]!;
      const quiz = await ada.run('quiz', { topic: 'JWT' });
      expect(textOf(quiz.message)).toMatch(/Practice question[\s\S]*JWT/);
      const modal = await ada.click(quiz.message!, 'Answer');
      expect(modal.kind).toBe('modal');
      const saved = await ada.submitModal(
        'A JWT is a signed token that carries claims as JSON, used for authentication.',
      );
      expect(textOf(saved.message)).toMatch(/Saved[\s\S]*\+2 points/);
      const callbacks = fake.requests.filter((request) => request.template === '/interactions/:id/:token/callback');
      expect(callbacks.length).toBeGreaterThanOrEqual(3);
      expect(callbacks.every((request) => request.viaHttpReply)).toBe(true);
      expect(fake.interactionDeliveries.deliveries[url]).toBeGreaterThanOrEqual(3);
    });

    it('autocomplete answers in the HTTP reply', async () => {
      const choices = await students[1]!.autocomplete('quiz', { topic: 'jw' }, 'topic');
      expect(choices.map((choice) => choice.value)).toEqual(['JWT']);
    });

    it('/review grades an answer and the student gets the grade by DM over REST', async () => {
      const queue = await instructor.run('review');
      expect(textOf(queue.message)).toMatch(/Review · 1 left/);
      const graded = await instructor.click(queue.message!, 'Correct');
      expect(graded.kind).toBe('update');
      const dm = await fake.waitFor(() => students[0]!.dms()[0], 60_000, 'the grade DM');
      // No guild cache in an http process: the server is fetched over REST to name it.
      expect(textOf(dm)).toMatch(/graded: Correct/);
      expect(textOf(dm)).toContain('Bootcamp Cohort 9');
    });

    it("/setup daily checks the bot's permissions in the chosen channel over REST, without a guild cache", async () => {
      const staffOnly = guild.createTextChannel('staff-only');
      guild.revokeBotAccess(staffOnly.id);
      const refused = await instructor.run('setup daily', {
        channel: { id: staffOnly.id },
        time: '09:00',
        timezone: 'UTC',
      });
      expect(textOf(refused.message)).toMatch(/cannot post in/);
      const set = await instructor.run('setup daily', {
        channel: { id: guild.cohortChannel.id },
        time: '09:00',
        timezone: 'UTC',
      });
      expect(textOf(set.message)).not.toMatch(/cannot post in/);
      expect(textOf(set.message)).toMatch(/09:00/);
    });

    it('a deferred reply (/me) is edited over REST with its chart', async () => {
      const me = await students[0]!.run('me');
      expect(me.kind).toBe('deferred');
      expect(me.message!.attachments[0]?.filename).toMatch(/\.png$/);
    });

    it('/export sends its file in a multipart HTTP reply', async () => {
      const exported = await instructor.run('export');
      expect(exported.kind).toBe('message');
      expect(exported.message!.attachments[0]?.filename).toMatch(/\.csv$/);
      const callback = fake.requests.findLast((request) => request.template === '/interactions/:id/:token/callback');
      expect(callback?.viaHttpReply).toBe(true);
      expect(callback?.files.map((file) => file.field)).toEqual(['files[0]']);
      expectHealthy(bot, fake);
    });

    it('an unsigned and a badly signed interaction get 401 and change nothing', async () => {
      const before = await database.db.select().from(answers);
      const student = students[2]!;
      const quiz = await student.run('quiz');
      fake.configure({ ackDeadlineMs: 1000 });
      try {
        // Each attempt opens the answer form again: a submitted form is gone, delivered or not.
        await student.click(quiz.message!, 'Answer');
        fake.faults.signature('missing');
        await expect(student.submitModal('an answer sent unsigned')).rejects.toThrow(/HTTP 401/);
        await student.click(quiz.message!, 'Answer');
        fake.faults.signature('wrong');
        await expect(student.submitModal('an answer badly signed')).rejects.toThrow(/HTTP 401/);
      } finally {
        fake.configure({ ackDeadlineMs: 3000 });
      }
      // Refused before the body is read as JSON: a body that is not JSON gets 401 too, not 400.
      expect((await postUnverified(url, '{not json')).status).toBe(401);
      const forged = JSON.stringify({ type: InteractionType.Ping });
      expect(
        (await postUnverified(url, forged, { 'x-signature-timestamp': '1', 'x-signature-ed25519': 'ab'.repeat(64) }))
          .status,
      ).toBe(401);
      expect(await database.db.select().from(answers)).toEqual(before);
    });

    it('other methods get 405 and a body over the limit gets 413', async () => {
      expect((await fetch(url)).status).toBe(405);
      const huge = await postUnverified(url, 'x'.repeat(MAX_INTERACTION_BYTES + 1));
      expect(huge.status).toBe(413);
    });

    it('SIGTERM in the middle of a burst: every acknowledged answer is stored, and the process exits 0', async () => {
      const burst = students.slice(3);
      for (const student of burst) {
        const quiz = await student.run('quiz', { topic: 'JWT' });
        await student.click(quiz.message!, 'Answer');
      }
      const submits = burst.map((student, i) => student.submitModal(`A signed token with claims, answer ${i}.`));
      await Promise.race(submits);
      const stopped = bot.stop();
      const results = await Promise.allSettled(submits);
      await stopped;
      expect(bot.exitCode).toBe(0);
      const saved = results.filter(
        (result) => result.status === 'fulfilled' && /Saved/.test(textOf(result.value.message)),
      ).length;
      expect(saved).toBeGreaterThanOrEqual(1);
      const stored = await database.db.select().from(answers);
      const burstIds = new Set(burst.map((student) => student.id));
      expect(stored.filter((row) => burstIds.has(row.userId)).length).toBe(saved);
    });
  },
);

describe('PROCESS_ROLE=all with INTERACTIONS_PORT on the embedded database', { timeout: 240_000 }, () => {
  let fake: FakeDiscord;
  let bot: BotProcess;
  let dataDir: string;
  let ada: Actor;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    const guild = fake.createGuild();
    ada = guild.addStudent('Ada');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-e2e-'));
    cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
    const port = await freePort();
    bot = await startBot({
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: guild.id,
        DATA_DIR: dataDir,
        INTERACTIONS_PORT: String(port),
        DISCORD_PUBLIC_KEY: fake.publicKey,
      },
    });
    await fake.setInteractionsEndpoint([`http://127.0.0.1:${port}/`]);
  });

  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('one process serves the endpoint beside its gateway connection', async () => {
    expect(fake.connectedSessions).toBe(1);
    const quiz = await ada.run('quiz');
    expect(textOf(quiz.message)).toMatch(/Practice question/);
    const callback = fake.requests.findLast((request) => request.template === '/interactions/:id/:token/callback');
    expect(callback?.viaHttpReply).toBe(true);
    expect(callback?.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });
    expectHealthy(bot, fake);
  });
});
