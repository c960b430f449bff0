import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { guildCreatePayload, memberPayload, userPayload } from './state/apiPayloads.ts';
import type { Dispatcher, FakeContext } from './context.ts';
import type { JsonObject } from './state/model.ts';

const HEARTBEAT_INTERVAL_MS = 41_250;
const REPLAY_BUFFER = 2000;

interface DispatchFrame {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: JsonObject;
}

interface Session {
  id: string;
  /** `[shard_id, num_shards]` of its IDENTIFY: the guilds whose events it receives. */
  shard: [number, number];
  intents: number;
  sequence: number;
  frames: DispatchFrame[];
  socket: WebSocket | null;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  invalidSessions: number;
  drops: number;
}

/** What one shard saw: how many sessions identified on it, and which session received which interaction. */
export interface ShardStats {
  identifies: number;
  /** The sessions that identified on this shard, in order (two at once is what a bot's shard locks prevent). */
  sessionIds: string[];
  /** Interaction id to the ids of the sessions it was dispatched to. */
  interactions: Map<string, string[]>;
}

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % num_shards`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** The guild an event belongs to, if any: the guild's own events carry it as `id`, every other guild event as `guild_id`. */
function guildOf(event: string, data: JsonObject): string | null {
  const id = ['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE'].includes(event) ? data.id : data.guild_id;
  return typeof id === 'string' ? id : null;
}

function validShard(value: unknown): value is [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [id, count] = value as unknown[];
  return (
    Number.isInteger(id) &&
    Number.isInteger(count) &&
    (count as number) >= 1 &&
    (id as number) >= 0 &&
    (id as number) < (count as number)
  );
}

export class FakeGateway implements Dispatcher {
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, invalidSessions: 0, drops: 0 };
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private readonly shards = new Map<number, ShardStats>();

  constructor(private readonly context: FakeContext) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway') {
      socket.destroy();
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws));
  }

  connectedSessionCount(): number {
    return [...this.sessions.values()].filter((session) => session.socket?.readyState === WebSocket.OPEN).length;
  }

  resumableSessionCount(): number {
    return this.sessions.size;
  }

  /** The sessions connected now on shard `shardId` (of whatever shard count they identified with). */
  connectedShardSessionCount(shardId: number): number {
    return [...this.sessions.values()].filter(
      (session) => session.shard[0] === shardId && session.socket?.readyState === WebSocket.OPEN,
    ).length;
  }

  shardStats(shardId: number): ShardStats {
    let stats = this.shards.get(shardId);
    if (!stats) {
      stats = { identifies: 0, sessionIds: [], interactions: new Map() };
      this.shards.set(shardId, stats);
    }
    return stats;
  }

  /** Guild events go only to the sessions of the guild's shard; events of no guild (DMs) to shard 0, as Discord does. */
  dispatch(event: string, data: JsonObject, options: { intent?: number } = {}): Date | null {
    const guildId = guildOf(event, data);
    let delivered = false;
    for (const session of this.sessions.values()) {
      if (options.intent !== undefined && (session.intents & options.intent) === 0) continue;
      const [shardId, shardCount] = session.shard;
      if ((guildId === null ? 0 : shardOfGuild(guildId, shardCount)) !== shardId) continue;
      this.dispatchTo(session, event, data);
      delivered = true;
    }
    return delivered ? new Date() : null;
  }

  dropAll(): void {
    for (const socket of this.sockets) {
      this.stats.drops += 1;
      socket.terminate();
    }
  }

  /** Ends every session with a close code, as Discord does when it invalidates them (4004 after a token reset). */
  closeAll(code: number, reason: string): void {
    for (const socket of this.sockets) socket.close(code, reason);
    this.sessions.clear();
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    this.sessions.clear();
    this.server.close();
  }

  private onConnection(ws: WebSocket): void {
    this.stats.connections += 1;
    this.sockets.add(ws);
    let session: Session | null = null;
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(GatewayCloseCodes.DecodeError, 'Decode error');
        return;
      }
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op?: number; d?: unknown };
      } catch {
        ws.close(GatewayCloseCodes.DecodeError, 'Decode error');
        return;
      }
      session = this.onPayload(ws, session, payload);
    });
    ws.on('close', (code: number) => {
      this.sockets.delete(ws);
      if (!session) return;
      if (session.socket === ws) session.socket = null;
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    ws.on('error', () => undefined);
    this.sendFrame(ws, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS, _trace: ['fake-gateway'] },
    });
  }

  private onPayload(ws: WebSocket, session: Session | null, payload: { op?: number; d?: unknown }): Session | null {
    const data = (payload.d ?? {}) as JsonObject;
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.sendFrame(ws, { op: GatewayOpcodes.HeartbeatAck });
        return session;
      case GatewayOpcodes.Identify:
        return this.identify(ws, session, data);
      case GatewayOpcodes.Resume:
        return this.resume(ws, session, data);
      case GatewayOpcodes.RequestGuildMembers:
        if (session) this.sendMemberChunk(session, data);
        return session;
      case GatewayOpcodes.PresenceUpdate:
        return session;
      default:
        ws.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode');
        return session;
    }
  }

  private identify(ws: WebSocket, current: Session | null, data: JsonObject): Session | null {
    if (current) {
      ws.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated');
      return current;
    }
    if (data.token !== this.context.token) {
      ws.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return null;
    }
    const shard = data.shard ?? [0, 1];
    if (!validShard(shard)) {
      ws.close(GatewayCloseCodes.InvalidShard, 'Invalid shard');
      return null;
    }
    const store = this.context.store;
    const guildIds = [...store.guilds.keys()].filter(
      (guildId) => store.member(guildId, store.botUser.id) && shardOfGuild(guildId, shard[1]) === shard[0],
    );
    if (guildIds.length > this.context.options.maxGuildsPerShard) {
      ws.close(GatewayCloseCodes.ShardingRequired, 'Sharding required');
      return null;
    }
    this.stats.identifies += 1;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard,
      intents: typeof data.intents === 'number' ? data.intents : 0,
      sequence: 0,
      frames: [],
      socket: ws,
    };
    this.sessions.set(session.id, session);
    const stats = this.shardStats(shard[0]);
    stats.identifies += 1;
    stats.sessionIds.push(session.id);
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: { ...userPayload(store.botUser), verified: true, mfa_enabled: false, email: null },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: `${this.context.origin().replace(/^http/, 'ws')}/gateway`,
      shard,
      application: { id: store.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['fake-gateway'],
    });
    for (const guildId of guildIds) this.dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(store, guildId));
    return session;
  }

  private resume(ws: WebSocket, current: Session | null, data: JsonObject): Session | null {
    const session = typeof data.session_id === 'string' ? this.sessions.get(data.session_id) : undefined;
    if (current || !session || data.token !== this.context.token || typeof data.seq !== 'number') {
      this.stats.invalidSessions += 1;
      this.sendFrame(ws, { op: GatewayOpcodes.InvalidSession, d: false });
      return current;
    }
    this.stats.resumes += 1;
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    for (const frame of session.frames) {
      if (frame.s > data.seq) this.sendDispatch(session, frame);
    }
    this.dispatchTo(session, 'RESUMED', { _trace: ['fake-gateway'] });
    return session;
  }

  private sendMemberChunk(session: Session, data: JsonObject): void {
    const store = this.context.store;
    const guildIds = Array.isArray(data.guild_id) ? (data.guild_id as string[]) : [String(data.guild_id)];
    for (const guildId of guildIds) {
      const wanted = Array.isArray(data.user_ids) ? new Set((data.user_ids as string[]).map(String)) : null;
      const members = store.guildMembers(guildId).filter((member) => !wanted || wanted.has(member.userId));
      this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guildId,
        members: members.map((member) => memberPayload(store, member)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: [],
        ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
      });
    }
  }

  private dispatchTo(session: Session, event: string, data: JsonObject): void {
    session.sequence += 1;
    const frame: DispatchFrame = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data };
    session.frames.push(frame);
    if (session.frames.length > REPLAY_BUFFER) session.frames.shift();
    this.sendDispatch(session, frame);
  }

  /** Sends a dispatch if the session is connected (otherwise it waits for a RESUME), counting interactions received. */
  private sendDispatch(session: Session, frame: DispatchFrame): void {
    if (session.socket?.readyState !== WebSocket.OPEN) return;
    this.sendFrame(session.socket, frame);
    if (frame.t === 'INTERACTION_CREATE' && typeof frame.d.id === 'string') {
      const interactions = this.shardStats(session.shard[0]).interactions;
      interactions.set(frame.d.id, [...(interactions.get(frame.d.id) ?? []), session.id]);
    }
  }

  private sendFrame(ws: WebSocket, frame: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame), { binary: false });
  }
}
