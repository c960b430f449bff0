import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/lifecycle.ts';
import { explainDatabaseFailure, explainDiscordFailure } from '../src/startupMessages.ts';
import { FakeDiscord } from './fake-discord/index.ts';
import { MAIN_ENTRY, PROCESS_TEST_TIMEOUT_MS, runScript } from './support/botProcess.ts';
import { testDatabaseUrl } from './support/database.ts';
import { snowflake } from './support/fixtures.ts';
import { templateDir } from './support/pgliteTemplate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEPLOY = path.join(ROOT, 'src/cli/deployCommands.ts');
const MIGRATE = path.join(ROOT, 'src/cli/migrate.ts');
const NOT_A_MEMBER = snowflake(4242);
const STACK_OR_JSON = /\n\s+at |^\{|"level"/m;

/** The last line the process printed on stderr: the sentence a person reads. */
const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe(
  'Discord failures read the same from npm start and deploy-commands',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let fake: FakeDiscord;
    let dataDir: string;
    beforeAll(async () => {
      fake = await FakeDiscord.start();
      fake.createGuild({ name: 'Cohort' });
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-messages-'));
      cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
    });
    afterAll(async () => {
      await fake?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a DISCORD_GUILD_ID of a server the bot is not in (50001 Missing Access) names the variable and the invite scopes', async () => {
      const env = {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: NOT_A_MEMBER,
        DATA_DIR: dataDir,
      };
      const deploy = await runScript(DEPLOY, [], env);
      const bot = await runScript(MAIN_ENTRY, [], { ...env, LOG_FORMAT: 'json' });
      const sentence = `Discord refused access to the server of DISCORD_GUILD_ID (${NOT_A_MEMBER}): the bot is not in that server, or was invited without the applications.commands scope.`;
      expect(deploy.code).toBe(1);
      expect(deploy.stderr.startsWith(sentence)).toBe(true);
      expect(deploy.output).not.toMatch(STACK_OR_JSON);
      expect(bot.code).toBe(EXIT.needsOperator);
      expect(bot.output).toContain(sentence);
      expect(bot.output).not.toMatch(/\n\s+at /);
    });

    it('a rejected token says "Discord rejected DISCORD_TOKEN" in both, never "401: Unauthorized" and never the token', async () => {
      const wrong = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.SECRET.wrongSECRETwrongSECRETwrong';
      const env = { DISCORD_TOKEN: wrong, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir };
      const deploy = await runScript(DEPLOY, [], env);
      const bot = await runScript(MAIN_ENTRY, [], env);
      for (const [result, code] of [
        [deploy, 1],
        [bot, EXIT.needsOperator],
      ] as const) {
        expect(result.code).toBe(code);
        expect(lastLine(result.stderr)).toMatch(
          /^Discord rejected DISCORD_TOKEN: copy the token again from the Discord Developer Portal/,
        );
        expect(result.output).not.toMatch(/401: Unauthorized|SECRET/);
      }
    });

    it('deploy-commands with good settings registers the commands in the server', async () => {
      const guild = fake.createGuild({ name: 'Second cohort' });
      const result = await runScript(DEPLOY, [], {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: guild.id,
      });
      expect(result.stdout).toMatch(new RegExp(`^Registered \\d+ commands \\(in the server ${guild.id}\\)`));
      expect(result.code).toBe(0);
    });
  },
);

describe('explainDiscordFailure', () => {
  const config = { discordApiUrl: 'https://discord.com/api', discordGuildId: undefined };
  it('a network failure names DISCORD_API_URL and the cause', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(explainDiscordFailure(refused, config)).toBe(
      'Could not connect to Discord at DISCORD_API_URL (https://discord.com/api): ECONNREFUSED. Check the network connection, and DISCORD_API_URL if you set it.',
    );
    const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(explainDiscordFailure(aborted, config)).toMatch(
      /DISCORD_API_URL \(https:\/\/discord\.com\/api\): no answer in time\./,
    );
  });
  it('an unknown server id (10004) names DISCORD_GUILD_ID and how to copy it', () => {
    const unknown = Object.assign(new Error('Unknown Guild'), { status: 404, code: 10004 });
    expect(explainDiscordFailure(unknown, { ...config, discordGuildId: NOT_A_MEMBER })).toMatch(
      /^Discord knows no server with the id in DISCORD_GUILD_ID \(\d+\): copy it again/,
    );
  });
});

describe('explainDatabaseFailure', () => {
  it('never shows the password of DATABASE_URL', () => {
    const error = Object.assign(new Error('password authentication failed'), { code: '28P01' });
    const message = explainDatabaseFailure(error, 'postgres://quiz:Se-cret@db.example:6543/quiz');
    expect(message).toBe(
      'PostgreSQL rejected the password of the user "quiz" of DATABASE_URL (db.example:6543/quiz): correct the password in DATABASE_URL.',
    );
  });
});

// The same refusals from a real PostgreSQL server, through the bot and a command-line tool.
// oxlint-disable-next-line vitest/no-conditional-tests -- the cases are built from the URL while tests are collected
if (testDatabaseUrl) {
  describe(
    'PostgreSQL refusals read the same from npm start and the tools [postgres]',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    () => {
      const withPath = (user: string | null, database: string) => {
        const url = new URL(testDatabaseUrl!);
        if (user) url.username = user;
        url.pathname = `/${database}`;
        return url.toString();
      };
      const host = new URL(testDatabaseUrl!);
      const where = (database: string) => `${host.hostname}:${host.port || '5432'}/${database}`;
      const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.sEcReT_tOkEn-ValUe-1234567890abcdefgh';

      it.each([
        [
          'a database that does not exist (3D000)',
          withPath(null, 'quizbot_no_such_database'),
          `The database "quizbot_no_such_database" of DATABASE_URL (${where('quizbot_no_such_database')}) does not exist: create it (for example \`createdb quizbot_no_such_database\`) or correct the name at the end of DATABASE_URL.`,
        ],
        [
          'a role that does not exist (28000)',
          withPath('quizbot_no_such_role', 'test'),
          `PostgreSQL does not let the user "quizbot_no_such_role" of DATABASE_URL (${where('test')}) connect: the role does not exist or may not log in there. Create the role (for example \`createuser quizbot_no_such_role\`) or correct the user in DATABASE_URL.`,
        ],
      ])('%s', async (_case, url, sentence) => {
        const bot = await runScript(MAIN_ENTRY, [], { DISCORD_TOKEN: token, DATABASE_URL: url });
        const migrate = await runScript(MIGRATE, [], { DATABASE_URL: url });
        for (const [result, code] of [
          [bot, EXIT.needsOperator],
          [migrate, 1],
        ] as const) {
          expect(result.code).toBe(code);
          expect(lastLine(result.stderr)).toBe(sentence);
        }
      });
    },
  );
}

describe('an unreachable database host', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('npm start and the tools give up with a message naming DATABASE_URL', async () => {
    // 192.0.2.0/24 is reserved for documentation: nothing answers there (refused, unreachable or timed out).
    const url = 'postgres://quiz@192.0.2.1:5432/quiz';
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.sEcReT_tOkEn-ValUe-1234567890abcdefgh';
    const [bot, migrate] = await Promise.all([
      runScript(MAIN_ENTRY, [], { DISCORD_TOKEN: token, DATABASE_URL: url }),
      runScript(MIGRATE, [], { DATABASE_URL: url }),
    ]);
    for (const result of [bot, migrate]) {
      expect(result.code).toBe(1);
      expect(lastLine(result.stderr)).toMatch(
        /^Cannot reach the PostgreSQL server of DATABASE_URL \(192\.0\.2\.1:5432\/quiz\): \w+\. Is it running, and is the URL right\?$/,
      );
    }
  });
});
