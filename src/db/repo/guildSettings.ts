import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DailySchedule } from '../../quiz/schedule.ts';
import type { Queryable } from '../client.ts';
import { guildSettings } from '../schema.ts';

export type GuildSettings = typeof guildSettings.$inferSelect;
export interface DailySettings extends GuildSettings {
  channelId: string;
  postTime: string;
  timeZone: string;
}

export async function getGuildSettings(db: Queryable, guildId: string): Promise<GuildSettings | undefined> {
  const [row] = await db.select().from(guildSettings).where(eq(guildSettings.guildId, guildId));
  return row;
}

export function hasDailySchedule(settings: GuildSettings | undefined): settings is DailySettings {
  return Boolean(settings?.channelId && settings.postTime && settings.timeZone);
}

export function scheduleOf(settings: DailySettings): DailySchedule {
  return { time: settings.postTime, timeZone: settings.timeZone, days: settings.days };
}

/** Creates or changes a guild's settings; only the given fields change. */
export async function updateGuildSettings(
  db: Queryable,
  guildId: string,
  changes: Partial<Omit<GuildSettings, 'guildId' | 'updatedAt'>>,
): Promise<GuildSettings> {
  const values = { ...changes, updatedAt: new Date() };
  const [row] = await db
    .insert(guildSettings)
    .values({ guildId, ...values })
    .onConflictDoUpdate({ target: guildSettings.guildId, set: values })
    .returning();
  return row!;
}

/** Guilds with a daily schedule; the scheduler checks each against its own time zone. */
export async function scheduledGuilds(db: Queryable): Promise<DailySettings[]> {
  const rows = await db.select().from(guildSettings).where(isNotNull(guildSettings.channelId));
  return rows.filter(hasDailySchedule).filter((row) => !row.paused);
}

/** Whether the database knows a time zone: the points totals compute weeks and months in it. */
export async function databaseKnowsTimeZone(db: Queryable, timeZone: string): Promise<boolean> {
  const rows = await db.select({ name: sql<string>`name` }).from(sql`pg_timezone_names`).where(sql`name = ${timeZone}`).limit(1);
  return rows.length > 0;
}

/** The guild's time zone for periods and dates: its daily schedule's zone, or UTC before one is set. */
export async function guildTimeZone(db: Queryable, guildId: string): Promise<string> {
  return (await getGuildSettings(db, guildId))?.timeZone ?? 'UTC';
}

/**
 * Pauses the guild's schedule because Discord refused its channel for good, unless the schedule moved to another
 * channel meanwhile. True when this call paused it (a new reason that instructors must be told of).
 */
export async function pauseForChannel(db: Queryable, guildId: string, channelId: string, reason: string): Promise<boolean> {
  const rows = await db
    .update(guildSettings)
    .set({ paused: true, pausedReason: reason, pauseNoticeAt: null, updatedAt: new Date() })
    .where(and(eq(guildSettings.guildId, guildId), eq(guildSettings.channelId, channelId), isNull(guildSettings.pausedReason)))
    .returning({ guildId: guildSettings.guildId });
  return rows.length > 0;
}

/**
 * Takes the job of telling instructors why the schedule is paused: the reason for exactly one caller per pause
 * (compare-and-set), so they are told once; null for everyone else. `givePauseNoticeBack` undoes it when the
 * message could not be delivered.
 */
export async function takePauseNotice(db: Queryable, guildId: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(guildSettings)
    .set({ pauseNoticeAt: now })
    .where(and(eq(guildSettings.guildId, guildId), isNotNull(guildSettings.pausedReason), isNull(guildSettings.pauseNoticeAt)))
    .returning({ reason: guildSettings.pausedReason });
  return row?.reason ?? null;
}

export async function givePauseNoticeBack(db: Queryable, guildId: string): Promise<void> {
  await db.update(guildSettings).set({ pauseNoticeAt: null }).where(eq(guildSettings.guildId, guildId));
}
