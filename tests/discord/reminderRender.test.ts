import { describe, expect, it } from 'vitest';
import { channelReminderMessages } from '../../src/discord/render/reminder.ts';

const closesAt = new Date('2026-05-02T09:00:00Z');
const postUrl = 'https://discord.com/channels/1/2/3';
const ids = (n: number, digits: number) => Array.from({ length: n }, (_, i) => String(10 ** (digits - 1) + i));

describe('the channel reminder', () => {
  it('pings at most 100 users a message, each message exactly the users it names', () => {
    const parts = channelReminderMessages({ userIds: ids(250, 3), closesAt, postUrl });
    expect(parts.map((part) => part.allowedMentions.users.length)).toEqual([100, 100, 50]);
    for (const part of parts) {
      expect([...part.content.matchAll(/<@(\d+)>/g)].map((m) => m[1])).toEqual(part.allowedMentions.users);
      expect(part.allowedMentions.parse).toEqual([]);
    }
    expect(parts.flatMap((part) => part.allowedMentions.users)).toEqual(ids(250, 3));
  });

  it('starts a new message before 2000 characters with 19-digit ids', () => {
    const parts = channelReminderMessages({ userIds: ids(200, 19), closesAt, postUrl });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.content.length).toBeLessThanOrEqual(2000);
    expect(parts.flatMap((part) => part.allowedMentions.users)).toEqual(ids(200, 19));
  });

  it('sends nothing when nobody is left to remind', () => {
    expect(channelReminderMessages({ userIds: [], closesAt, postUrl })).toEqual([]);
  });
});
