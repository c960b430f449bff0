import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
type Def = Record<string, unknown> & { type: string };

/** The def fields that hold one inner schema, for the wrapper kinds Discord's schemas use. */
const INNER_FIELDS = ['innerType', 'element', 'valueType', 'left', 'right', 'in', 'out'] as const;

/**
 * A transform that gives a schema with its objects closed to fields they do not name (Zod's `strictObject`), except
 * the objects in `open`, which keep accepting unknown fields (their own fields are still closed further down).
 * discord-api-spec builds its objects when the module loads, so its own `setStrictObject` switch comes too late
 * for an import.
 */
export function closeObjectsExcept(open: ReadonlySet<Schema>): (schema: Schema) => Schema {
  const closed = new WeakMap<Schema, Schema>();
  const close = (schema: Schema): Schema => {
    const known = closed.get(schema);
    if (known) return known;
    const def = schema._zod.def as unknown as Def;
    let result: Schema;
    if (def.type === 'lazy') {
      const getter = def.getter as () => Schema;
      result = z.lazy(() => close(getter()));
    } else {
      const next: Def = { ...def };
      if (def.type === 'object') {
        next.shape = Object.fromEntries(
          Object.entries(def.shape as Record<string, Schema>).map(([key, value]) => [key, close(value)]),
        );
        if (!open.has(schema)) next.catchall = z.never();
      }
      if (def.type === 'union') next.options = (def.options as Schema[]).map(close);
      for (const field of INNER_FIELDS) if (def[field]) next[field] = close(def[field] as Schema);
      result = schema.clone(next as unknown as typeof schema._zod.def);
    }
    closed.set(schema, result);
    return result;
  };
  return close;
}
