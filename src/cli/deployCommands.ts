import { REST } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { registerCommands } from '../discord/registerCommands.ts';
import { explainDiscordFailure } from '../startupMessages.ts';
import { cliConfig, exitWithUsage, wantsHelp, type CliTool } from './runCli.ts';

/** Registers the slash commands now, even when Discord's copy looks the same (`npm run deploy-commands`). */
const TOOL: CliTool = {
  usage:
    "usage: npm run deploy-commands\n\nRegisters the slash commands now, in the server of DISCORD_GUILD_ID or globally, even when Discord's copy looks the same.\n",
};

const argv = process.argv.slice(2);
if (argv.length > 0)
  exitWithUsage(TOOL, wantsHelp(argv), wantsHelp(argv) ? undefined : `Unexpected argument: ${argv[0]}`);
const config = cliConfig({ requireToken: true });
try {
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken!);
  const application = (await rest.get('/applications/@me')) as { id: string };
  const result = await registerCommands(
    rest,
    application.id,
    config.discordGuildId,
    commands.map((command) => command.data.toJSON()),
    { force: true },
  );
  process.stdout.write(
    `Registered ${result.count} commands (${result.scope === 'guild' ? `in the server ${config.discordGuildId}` : 'globally: Discord can take up to an hour to show them'}).\n`,
  );
} catch (error) {
  process.stderr.write(`${explainDiscordFailure(error, config)}\n`);
  process.exitCode = 1;
}
