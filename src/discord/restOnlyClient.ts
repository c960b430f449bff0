import { ClientUser, Routes, type APIUser, type Client } from 'discord.js';

/**
 * The discord.js client of a process that never logs in to the gateway (PROCESS_ROLE=http): REST only, with the
 * bot's own user fetched as READY would give it, since discord.js reads `client.user` in places (a DM's channel).
 */
export async function useRestOnly(client: Client, token: string): Promise<void> {
  client.rest.setToken(token);
  const data = (await client.rest.get(Routes.user())) as APIUser;
  // discord.js builds it the same way on READY; its constructor is not public.
  const BotUser = ClientUser as unknown as new (client: Client, data: APIUser) => ClientUser;
  const user = new BotUser(client, data);
  client.user = user;
  client.users.cache.set(user.id, user);
}
