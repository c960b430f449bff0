/**
 * Custom ids of buttons and modals: `<command>:<action>:<arg>:<arg>`, at most 100 characters.
 * The prefix names the command that owns the component, so the router can find its handler. Each component
 * declares its arguments once (`button`, `modal`), and that declaration both writes and reads its ids.
 */
export interface RawCustomId {
  command: string;
  action: string;
  args: string[];
}

const PART = /^[a-z0-9_-]{1,40}$/i;
const CUSTOM_ID_MAX = 100;

export function encodeCustomId(command: string, action: string, ...args: (string | number)[]): string {
  const parts = [command, action, ...args.map(String)];
  if (!parts.every((part) => PART.test(part))) throw new Error(`invalid custom id part in ${parts.join(':')}`);
  const id = parts.join(':');
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom id longer than ${CUSTOM_ID_MAX}: ${id}`);
  return id;
}

/** Parses defensively: anything malformed (forged, truncated, from an older version) gives null. */
export function parseCustomId(raw: string): RawCustomId | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > CUSTOM_ID_MAX) return null;
  const parts = raw.split(':');
  if (parts.length < 2 || !parts.every((part) => PART.test(part))) return null;
  const [command, action, ...args] = parts as [string, string, ...string[]];
  return { command, action, args };
}

/** A database id (a positive 32-bit integer), or null when the text is anything else. */
export function parseDatabaseId(value: string | undefined): number | null {
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

/** One typed argument of a custom id, written as `width` parts; `parse` gives null for anything it would not write. */
export interface IdArg<V> {
  width: number;
  encode(value: V): string[];
  parse(parts: string[]): V | null;
}

export const idArg = {
  /** A database id. */
  id: {
    width: 1,
    encode: (value: number) => [String(value)],
    parse: ([value]: string[]) => parseDatabaseId(value),
  } satisfies IdArg<number>,
  /** One of a fixed list of words. */
  oneOf<const T extends string>(values: readonly T[]): IdArg<T> {
    return {
      width: 1,
      encode: (value) => [value],
      parse: ([value]) => (values.includes(value as T) ? (value as T) : null),
    };
  },
};

type ArgsOf<S extends Record<string, IdArg<unknown>>> = { [K in keyof S]: S[K] extends IdArg<infer V> ? V : never };
export type ComponentKind = 'button' | 'modal';

/** A component's custom id, declared once: who owns it, its typed arguments, and what a user is told when it does not parse. */
export interface ComponentId<V, K extends ComponentKind = ComponentKind> {
  kind: K;
  command: string;
  action: string;
  refusal: string;
  encode(values: V): string;
  /** The typed values of a custom id's arguments (after `<command>:<action>`), or null: too few, too many, or malformed. */
  parse(args: string[]): V | null;
}

function componentId<K extends ComponentKind, const S extends Record<string, IdArg<unknown>>>(
  kind: K,
  command: string,
  action: string,
  schema: S,
  refusal: string,
): ComponentId<ArgsOf<S>, K> {
  const entries = Object.entries(schema) as [keyof S & string, IdArg<unknown>][];
  const width = entries.reduce((sum, [, arg]) => sum + arg.width, 0);
  return {
    kind,
    command,
    action,
    refusal,
    encode: (values) => encodeCustomId(command, action, ...entries.flatMap(([name, arg]) => arg.encode(values[name]))),
    parse(args) {
      if (args.length !== width) return null;
      const values: Record<string, unknown> = {};
      let at = 0;
      for (const [name, arg] of entries) {
        const value = arg.parse(args.slice(at, at + arg.width));
        if (value === null) return null;
        values[name] = value;
        at += arg.width;
      }
      return values as ArgsOf<S>;
    },
  };
}

export const button = <const S extends Record<string, IdArg<unknown>>>(
  command: string,
  action: string,
  schema: S,
  refusal: string,
) => componentId('button', command, action, schema, refusal);
export const modal = <const S extends Record<string, IdArg<unknown>>>(
  command: string,
  action: string,
  schema: S,
  refusal: string,
) => componentId('modal', command, action, schema, refusal);
