/**
 * Start-up: from spawning the real bot process to its "ready" log line, on a fresh and on an existing
 * database, embedded (PGlite in DATA_DIR) and PostgreSQL (DATABASE_URL). Each against its own local Discord,
 * so the first start also registers the commands and the second finds them unchanged, as in real life.
 */
import { startBot } from '../tests/support/botProcess.ts';
import { FakeDiscord } from '../tests/fake-discord/index.ts';
import { createDataDir, createScratchDatabase } from './databases.ts';
import { processMemory } from './processStats.ts';
import { summarize, type Summary } from './stats.ts';

export interface StartupCase {
  name: string;
  summary: Summary;
  rssMiB: number[];
}

async function timeStart(
  env: Record<string, string>,
  fake: FakeDiscord,
  guildId: string,
): Promise<{ ms: number; rssMiB: number }> {
  const started = performance.now();
  const bot = await startBot({
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: guildId,
      LOG_LEVEL: 'info',
      ...env,
    },
    readyTimeoutMs: 60_000,
  });
  const ms = performance.now() - started;
  const rssMiB = processMemory(bot.pid)?.rssMiB ?? Number.NaN;
  await bot.stop();
  if (bot.exitCode !== 0) throw new Error(`the bot exited with ${String(bot.exitCode)} on stop`);
  return { ms, rssMiB };
}

/** `repeats` pairs of (fresh start, restart on the same database) per engine. */
export async function runStartup(
  log: (line: string) => void,
  options: { repeats: number; postgres: boolean },
): Promise<StartupCase[]> {
  const samples = new Map<string, { ms: number[]; rss: number[] }>();
  const add = (name: string, sample: { ms: number; rssMiB: number }) => {
    const entry = samples.get(name) ?? { ms: [], rss: [] };
    entry.ms.push(sample.ms);
    entry.rss.push(sample.rssMiB);
    samples.set(name, entry);
  };
  for (let i = 0; i < options.repeats; i++) {
    const fake = await FakeDiscord.start();
    const guild = fake.createGuild({ name: 'Startup Cohort' });
    const dataDir = await createDataDir({ migrated: false });
    try {
      add(
        'PGlite, fresh (empty DATA_DIR: initdb, migrations, bank)',
        await timeStart({ DATA_DIR: dataDir.dir }, fake, guild.id),
      );
      add('PGlite, existing database', await timeStart({ DATA_DIR: dataDir.dir }, fake, guild.id));
    } finally {
      dataDir.remove();
      await fake.close();
    }
    if (!options.postgres) continue;
    const pgFake = await FakeDiscord.start();
    const pgGuild = pgFake.createGuild({ name: 'Startup Cohort' });
    const scratch = await createScratchDatabase('startup');
    try {
      add(
        'PostgreSQL, fresh (empty database: migrations, bank)',
        await timeStart({ DATABASE_URL: scratch.url }, pgFake, pgGuild.id),
      );
      add('PostgreSQL, existing database', await timeStart({ DATABASE_URL: scratch.url }, pgFake, pgGuild.id));
    } finally {
      await scratch.drop();
      await pgFake.close();
    }
    log(`  startup: round ${i + 1}/${options.repeats} done`);
  }
  return [...samples].map(([name, entry]) => ({ name, summary: summarize(entry.ms), rssMiB: entry.rss }));
}
