import type { BaseInteraction, Channel, Client, Guild } from 'discord.js';
import type { InGuild } from './command.ts';

/**
 * The interaction's server: from the gateway's cache, or fetched over REST by a process that has no gateway
 * (`PROCESS_ROLE=http`), which discord.js then keeps in its cache. Null when Discord will not tell.
 */
export async function fetchGuild(
  interaction: Pick<BaseInteraction<InGuild>, 'guild' | 'guildId' | 'client'>,
): Promise<Guild | null> {
  return interaction.guild ?? (await fetchServer(interaction.client, interaction.guildId).catch(() => null));
}

/**
 * A server for work no interaction started (the scheduled jobs): from the cache, or over REST. Every gateway process
 * runs the jobs of every server, also of servers on shards that another process connects, which are not in its
 * cache; discord.js keeps the fetched server in its cache.
 */
export async function fetchServer(client: Client, guildId: string): Promise<Guild> {
  return client.guilds.cache.get(guildId) ?? (await client.guilds.fetch(guildId));
}

/**
 * A server's channel for the scheduled jobs. discord.js builds a server's channel only with its server (without
 * it, `channels.fetch` gives no sendable channel), so the server is fetched first when this process's shards do not
 * carry it.
 */
export async function fetchServerChannel(client: Client, guildId: string, channelId: string): Promise<Channel | null> {
  await fetchServer(client, guildId);
  return client.channels.fetch(channelId);
}
