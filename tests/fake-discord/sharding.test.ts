import { GatewayCloseCodes, GatewayOpcodes, InteractionResponseType } from 'discord-api-types/v10';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { shardOfGuild, startFakeDiscord, type FakeDiscord, type Guild } from './index.ts';

const GUILDS_INTENT = 1 << 0;

interface Frame {
  op: number;
  t?: string;
  d?: Record<string, unknown>;
}

/** A bare gateway session, so each test chooses exactly what IDENTIFY sends; it answers every interaction it receives. */
class RawSession {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  private readonly socket: WebSocket;

  private constructor(
    private readonly fake: FakeDiscord,
    identify: Record<string, unknown>,
  ) {
    this.socket = new WebSocket(fake.apiUrl.replace(/^http/, 'ws').replace(/\/api$/, '/gateway'));
    this.socket.on('message', (raw: Buffer) => this.onFrame(JSON.parse(raw.toString()) as Frame, identify));
    this.socket.on('close', (code: number) => (this.closeCode = code));
  }

  static async open(fake: FakeDiscord, shard?: unknown): Promise<RawSession> {
    const session = new RawSession(fake, {
      token: fake.token,
      intents: GUILDS_INTENT,
      properties: { os: 'linux', browser: 'test', device: 'test' },
      ...(shard === undefined ? {} : { shard }),
    });
    await fake.waitFor(() => session.ready() ?? session.closeCode !== null, 5000, 'READY or a close');
    return session;
  }

  ready(): Record<string, unknown> | undefined {
    return this.frames.find((frame) => frame.t === 'READY')?.d;
  }

  readyGuildIds(): string[] {
    return ((this.ready()?.guilds ?? []) as { id: string }[]).map((guild) => guild.id);
  }

  events(name: string): Record<string, unknown>[] {
    return this.frames.filter((frame) => frame.t === name).map((frame) => frame.d ?? {});
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000);
    await once(this.socket, 'close');
  }

  private onFrame(frame: Frame, identify: Record<string, unknown>): void {
    this.frames.push(frame);
    if (frame.op === GatewayOpcodes.Hello)
      this.socket.send(JSON.stringify({ op: GatewayOpcodes.Identify, d: identify }));
    if (frame.t === 'INTERACTION_CREATE') void this.answer(frame.d ?? {});
  }

  /** One reply per interaction: two sessions of one shard both answer, as two bot processes would. */
  private async answer(interaction: Record<string, unknown>): Promise<void> {
    await fetch(
      `${this.fake.apiUrl}/v10/interactions/${String(interaction.id)}/${String(interaction.token)}/callback`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'pong' } }),
      },
    );
  }
}

describe('the local Discord shards its gateway as Discord does', () => {
  let fake: FakeDiscord;
  let onShard0: Guild;
  let onShard1: Guild;
  let alsoOnShard1: Guild;
  const sessions: RawSession[] = [];
  const open = async (shard?: unknown) => {
    const session = await RawSession.open(fake, shard);
    sessions.push(session);
    return session;
  };

  beforeEach(async () => {
    fake = await startFakeDiscord();
    onShard0 = fake.createGuild({ name: 'Zero', onShard: [0, 2] });
    onShard1 = fake.createGuild({ name: 'One', onShard: [1, 2] });
    alsoOnShard1 = fake.createGuild({ name: 'One too', onShard: [1, 2] });
    await fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'ping', description: 'Answers pong' }]),
    });
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await fake.close();
  });

  it('places guilds on the shard asked for, by (guild_id >> 22) % num_shards', () => {
    expect([onShard0, onShard1, alsoOnShard1].map((guild) => shardOfGuild(guild.id, 2))).toEqual([0, 1, 1]);
    expect(Number((BigInt(onShard1.id) >> 22n) % 2n)).toBe(1);
  });

  it('without a shard in IDENTIFY, the session is shard 0 of 1 and gets every guild', async () => {
    const session = await open();
    expect(session.ready()?.shard).toEqual([0, 1]);
    expect(session.readyGuildIds().toSorted()).toEqual([onShard0.id, onShard1.id, alsoOnShard1.id].toSorted());
  });

  it("READY and GUILD_CREATE carry only the shard's guilds, and later guild events go only to that shard", async () => {
    const zero = await open([0, 2]);
    const one = await open([1, 2]);
    expect(zero.ready()?.shard).toEqual([0, 2]);
    expect(one.ready()?.shard).toEqual([1, 2]);
    expect(zero.readyGuildIds()).toEqual([onShard0.id]);
    expect(one.readyGuildIds().toSorted()).toEqual([onShard1.id, alsoOnShard1.id].toSorted());
    expect(zero.events('GUILD_CREATE').map((guild) => guild.id)).toEqual([onShard0.id]);

    onShard1.createRole('Mentor');
    onShard0.createTextChannel('week-2');
    const joined = fake.createGuild({ name: 'Joined', onShard: [1, 2] });
    await fake.waitFor(() => one.events('GUILD_CREATE').some((guild) => guild.id === joined.id));
    await fake.waitFor(() => zero.events('CHANNEL_CREATE').length === 1);
    expect(one.events('GUILD_ROLE_CREATE').map((event) => event.guild_id)).toEqual([onShard1.id]);
    expect(zero.events('GUILD_ROLE_CREATE')).toEqual([]);
    expect(one.events('CHANNEL_CREATE')).toEqual([]);
    expect(zero.events('GUILD_CREATE').map((guild) => guild.id)).toEqual([onShard0.id]);
  });

  it("an interaction goes only to its guild's shard, and one from a DM to shard 0", async () => {
    const zero = await open([0, 2]);
    const one = await open([1, 2]);
    const student = onShard1.addStudent('Ada');
    const result = await student.run('ping');
    expect(result.kind).toBe('message');
    expect(one.events('INTERACTION_CREATE').map((interaction) => interaction.id)).toEqual([result.interactionId]);
    expect(zero.events('INTERACTION_CREATE')).toEqual([]);
    expect(fake.shardStats(1).interactions.get(result.interactionId)).toEqual([one.ready()?.session_id]);
    expect(fake.shardStats(0).interactions.has(result.interactionId)).toBe(false);

    await fetch(`${fake.apiUrl}/v10/users/@me/channels`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipient_id: student.id }),
    });
    const fromDms = await student.forgeComponentInteraction(null, 'ping:dm', { inDms: true });
    expect(zero.events('INTERACTION_CREATE').map((interaction) => interaction.id)).toEqual([fromDms.interactionId]);
    expect(one.events('INTERACTION_CREATE')).toHaveLength(1);
  });

  it('two sessions on one shard both receive its interactions, and the counters show the double', async () => {
    const first = await open([0, 2]);
    const second = await open([0, 2]);
    const result = await onShard0.addStudent('Linus').run('ping');
    await fake.waitFor(() => second.events('INTERACTION_CREATE').length === 1);
    expect(first.events('INTERACTION_CREATE')).toHaveLength(1);
    expect(fake.shardStats(0).identifies).toBe(2);
    expect(fake.connectedShardSessions(0)).toBe(2);
    expect(new Set(fake.shardStats(0).interactions.get(result.interactionId))).toEqual(
      new Set([first.ready()?.session_id, second.ready()?.session_id]),
    );
    // The slower of the two answers is refused, as Discord refuses a second acknowledgement.
    await fake.waitFor(() => fake.errors.some((error) => error.code === 40060));
  });

  it.each([
    ['a shard id at or above the shard count', [2, 2]],
    ['a shard count of 0', [0, 0]],
    ['a negative shard id', [-1, 2]],
    ['something else than two numbers', ['0', 2]],
  ])('IDENTIFY with %s is closed with 4010 Invalid Shard', async (_name, shard) => {
    const session = await open(shard);
    expect(session.closeCode).toBe(GatewayCloseCodes.InvalidShard);
    expect(session.ready()).toBeUndefined();
  });

  it('a shard that would carry more guilds than allowed is closed with 4011, and /gateway/bot recommends enough shards', async () => {
    fake.configure({ maxGuildsPerShard: 2 });
    const unsharded = await open();
    expect(unsharded.closeCode).toBe(GatewayCloseCodes.ShardingRequired);
    const gateway = await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(((await gateway.json()) as { shards: number }).shards).toBe(2);
    const one = await open([1, 2]);
    expect(one.closeCode).toBeNull();
    expect(one.readyGuildIds()).toHaveLength(2);
    expect(fake.shardStats(1).identifies).toBe(1);
    expect(fake.shardStats(0).identifies).toBe(0);
  });
});
