import type { BaseInteraction, Guild } from 'discord.js';
import type { InGuild } from './command.ts';

/**
 * The interaction's server: from the gateway's cache, or fetched over REST by a process that has no gateway
 * (`PROCESS_ROLE=http`), which discord.js then keeps in its cache. Null when Discord will not tell.
 */
export async function fetchGuild(
  interaction: Pick<BaseInteraction<InGuild>, 'guild' | 'guildId' | 'client'>,
): Promise<Guild | null> {
  return interaction.guild ?? (await interaction.client.guilds.fetch(interaction.guildId).catch(() => null));
}
