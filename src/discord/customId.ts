/**
 * Custom ids of buttons and modals: `<command>:<action>:<arg>:<arg>`, at most 100 characters.
 * The prefix names the command that owns the component, so the router can find its handler.
 */
export interface CustomId {
  command: string;
  action: string;
  args: string[];
}

const PART = /^[a-z0-9_-]{1,40}$/i;
export const CUSTOM_ID_MAX = 100;

export function encodeCustomId(command: string, action: string, ...args: (string | number)[]): string {
  const parts = [command, action, ...args.map(String)];
  if (!parts.every((part) => PART.test(part))) throw new Error(`invalid custom id part in ${parts.join(':')}`);
  const id = parts.join(':');
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom id longer than ${CUSTOM_ID_MAX}: ${id}`);
  return id;
}

/** Parses defensively: anything malformed (forged, truncated, from an older version) gives null. */
export function parseCustomId(raw: string): CustomId | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > CUSTOM_ID_MAX) return null;
  const parts = raw.split(':');
  if (parts.length < 2 || !parts.every((part) => PART.test(part))) return null;
  const [command, action, ...args] = parts as [string, string, ...string[]];
  return { command, action, args };
}

/** A positive integer argument (a database id), or null when the argument is missing or malformed. */
export function idArg(args: string[], index: number): number | null {
  const value = args[index];
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}
