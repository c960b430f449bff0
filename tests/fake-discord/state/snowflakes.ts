import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

export function nextSnowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  const timestamp = BigInt(Date.now()) - DISCORD_EPOCH;
  return ((timestamp << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
}

/** A snowflake that falls on shard `shardId` of `shardCount` (`(id >> 22) % count`): a timestamp a few ms on. */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  const id = BigInt(nextSnowflake());
  const timestamp = id >> 22n;
  const offset = (BigInt(shardId) - (timestamp % BigInt(shardCount)) + BigInt(shardCount)) % BigInt(shardCount);
  return (((timestamp + offset) << 22n) | (id & 0x3fffffn)).toString();
}

export function fakeBotToken(botId: string): string {
  const idPart = Buffer.from(botId).toString('base64url');
  const timestampPart = randomBytes(4).toString('base64url').slice(0, 6);
  const hmacPart = randomBytes(29).toString('base64url').slice(0, 38);
  return `${idPart}.${timestampPart}.${hmacPart}`;
}

export function interactionToken(interactionId: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(interactionId).toString('base64url')}${randomBytes(96).toString('base64url')}`;
}
