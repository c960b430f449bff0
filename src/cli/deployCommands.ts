import { REST } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { commands } from '../../commands/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { registerCommands } from '../discord/registerCommands.ts';

/** Registers the slash commands now, even when Discord's copy looks the same (`npm run deploy-commands`). */
loadDotenv({ quiet: true });
try {
  const config = loadConfig(process.env, { requireToken: true });
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken!);
  const application = (await rest.get('/applications/@me')) as { id: string };
  const result = await registerCommands(
    rest,
    application.id,
    config.discordGuildId,
    commands.map((command) => command.data.toJSON()),
    { force: true },
  );
  process.stdout.write(`Registered ${result.count} commands (${result.scope}).\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register the commands: ${(error as Error).message}`}\n`);
  process.exitCode = 1;
}
