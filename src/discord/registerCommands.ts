import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface RegistrationResult {
  scope: 'guild' | 'global';
  changed: boolean;
  count: number;
}

/**
 * Registers the commands in one guild (instant, for development) or globally. Discord's copy is compared
 * first and the PUT is skipped when nothing differs, because global updates are rate limited and slow to spread.
 */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
  commands: CommandJson[],
  options: { force: boolean },
): Promise<RegistrationResult> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const scope = guildId ? 'guild' : 'global';
  if (!options.force) {
    const current = (await rest.get(route)) as CommandJson[];
    if (sameCommands(current, commands)) return { scope, changed: false, count: commands.length };
  }
  await rest.put(route, { body: commands });
  return { scope, changed: true, count: commands.length };
}

function sameCommands(current: CommandJson[], wanted: CommandJson[]): boolean {
  const key = (list: CommandJson[]) => JSON.stringify(list.map(normalise).sort((a, b) => a.name.localeCompare(b.name)));
  return key(current) === key(wanted);
}

interface Comparable {
  name: string;
  [field: string]: unknown;
}

/** The fields we set, with Discord's defaults filled in, so a fetched command compares equal to our definition. */
function normalise(command: CommandJson): Comparable {
  return {
    name: command.name,
    description: command.description ?? '',
    permissions: command.default_member_permissions ?? null,
    contexts: [...(command.contexts ?? [])].sort((a, b) => a - b),
    options: (command.options ?? []).map((option) => normaliseOption(option as unknown as Record<string, unknown>)),
  };
}

function normaliseOption(option: Record<string, unknown>): Comparable {
  const choices = option.choices as { name: string; value: unknown }[] | undefined;
  const nested = option.options as Record<string, unknown>[] | undefined;
  return {
    name: String(option.name),
    type: option.type,
    description: option.description ?? '',
    required: option.required ?? false,
    autocomplete: option.autocomplete ?? false,
    choices: (choices ?? []).map((choice) => [choice.name, choice.value]),
    channelTypes: [...((option.channel_types as number[] | undefined) ?? [])].sort((a, b) => a - b),
    min: option.min_value ?? option.min_length ?? null,
    max: option.max_value ?? option.max_length ?? null,
    options: (nested ?? []).map(normaliseOption),
  };
}
