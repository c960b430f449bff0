import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.sEcReT_tOkEn-ValUe-1234567890abcdefgh';

function problems(env: Record<string, string>, requireToken = true): string[] {
  try {
    loadConfig(env, { requireToken });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('configuration', () => {
  it('.env.example documents exactly the variables the code reads, each with a comment', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    const documented = lines.flatMap((line) => /^([A-Z_]+)=/.exec(line)?.[1] ?? []);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const name of documented) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[index - 1], `${name} has a comment above it`).toMatch(/^#/);
    }
  });

  it('uses the documented defaults', () => {
    const config = loadConfig({ DISCORD_TOKEN: token }, { requireToken: true });
    expect(config).toMatchObject({ dataDir: './data', discordApiUrl: 'https://discord.com/api', logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('a missing token names DISCORD_TOKEN and where to get it', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^DISCORD_TOKEN is missing.*developers/)]);
  });

  it('reports every bad variable at once, each by name', () => {
    const found = problems({
      DISCORD_TOKEN: '   ',
      DISCORD_GUILD_ID: 'my-server',
      DATABASE_URL: 'localhost:5432/db',
      DISCORD_API_URL: 'discord.com',
      LOG_LEVEL: 'loud',
    });
    expect(found.map((problem) => problem.split(' ')[0])).toEqual([
      'DISCORD_TOKEN',
      'DISCORD_GUILD_ID',
      'DATABASE_URL',
      'DISCORD_API_URL',
      'LOG_LEVEL',
    ]);
  });

  it('never echoes a secret in its messages', () => {
    const secretUrl = 'mysql://admin:hunter2secret@db:3306/x';
    const badToken = 'not-a-token-but-secret-Zq9';
    const message = problems({ DISCORD_TOKEN: badToken, DATABASE_URL: secretUrl }).join('\n');
    expect(message).toContain('DISCORD_TOKEN');
    expect(message).not.toContain(badToken);
    expect(message).not.toContain('hunter2secret');
  });

  it('strips a trailing slash from DISCORD_API_URL, as discord.js expects', () => {
    const config = loadConfig(
      { DISCORD_TOKEN: token, DISCORD_API_URL: 'http://127.0.0.1:9999/api/' },
      { requireToken: true },
    );
    expect(config.discordApiUrl).toBe('http://127.0.0.1:9999/api');
  });

  it('the token is optional for tools that do not connect to Discord', () => {
    expect(problems({}, false)).toEqual([]);
  });

  describe('process roles, shards and the interactions endpoint', () => {
    const pg = 'postgres://bot@127.0.0.1:5432/quiz';
    const key = 'AB'.repeat(32);

    it('with none set, one process does everything over the gateway', () => {
      const config = loadConfig({ DISCORD_TOKEN: token }, { requireToken: true });
      expect(config).toMatchObject({ role: 'all', shards: null, interactions: null });
    });

    it('reads shards and the endpoint; SHARD_IDS defaults to every shard', () => {
      const gateway = loadConfig(
        { DISCORD_TOKEN: token, DATABASE_URL: pg, PROCESS_ROLE: 'gateway', SHARD_COUNT: '3', SHARD_IDS: ' 2, 0,2' },
        { requireToken: true },
      );
      expect(gateway.shards).toEqual({ count: 3, ids: [0, 2] });
      const all = loadConfig(
        { DISCORD_TOKEN: token, SHARD_COUNT: '2', INTERACTIONS_PORT: '8080', DISCORD_PUBLIC_KEY: key },
        { requireToken: true },
      );
      expect(all).toMatchObject({ role: 'all', shards: { count: 2, ids: [0, 1] } });
      expect(all.interactions).toEqual({ port: 8080, publicKey: key.toLowerCase() });
    });

    it('refuses combinations that cannot work, each naming its variables', () => {
      expect(problems({ DISCORD_TOKEN: token, SHARD_IDS: '0' })).toEqual([
        expect.stringMatching(/^SHARD_IDS needs SHARD_COUNT/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, SHARD_COUNT: '2', SHARD_IDS: '2' })).toEqual([
        expect.stringMatching(/^SHARD_IDS must be below SHARD_COUNT/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, SHARD_COUNT: '2', SHARD_IDS: '1' })).toEqual([
        expect.stringMatching(/PROCESS_ROLE=gateway/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, INTERACTIONS_PORT: '8080' })).toEqual([
        expect.stringMatching(/^INTERACTIONS_PORT needs DISCORD_PUBLIC_KEY/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, DISCORD_PUBLIC_KEY: 'xyz' })).toEqual([
        expect.stringMatching(/^DISCORD_PUBLIC_KEY must be the 64 hexadecimal/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, DATABASE_URL: pg, PROCESS_ROLE: 'http' })).toEqual([
        expect.stringMatching(/^PROCESS_ROLE=http needs INTERACTIONS_PORT/),
      ]);
      expect(problems({ DISCORD_TOKEN: token, DATABASE_URL: pg, PROCESS_ROLE: 'gateway' })).toEqual([
        expect.stringMatching(/^PROCESS_ROLE=gateway needs SHARD_COUNT/),
      ]);
    });

    it('refuses a role beside other processes on the embedded database, saying how to move to PostgreSQL', () => {
      const found = problems({
        DISCORD_TOKEN: token,
        PROCESS_ROLE: 'http',
        INTERACTIONS_PORT: '8080',
        DISCORD_PUBLIC_KEY: key,
      });
      expect(found).toEqual([
        expect.stringMatching(/embedded database serves one process only.*DATABASE_URL.*db:copy-to-postgres/),
      ]);
    });
  });
});
