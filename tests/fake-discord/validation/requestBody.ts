import { invalidFormBody, type DiscordHttpError } from '../http/discordErrors.ts';
import { asObject } from './fieldChecks.ts';
import { bodySchemaFor } from './routeSchemas.ts';
import { toFieldErrors } from './schemaErrors.ts';

/**
 * Where Discord's OpenAPI description is narrower than Discord itself: it types `default_member_permissions` as a
 * number, while Discord documents (and discord.js sends) a string of digits.
 */
function asSpecTypes(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(asSpecTypes);
  const object = asObject(body);
  const permissions = object?.default_member_permissions;
  if (typeof permissions !== 'string' || !/^\d+$/.test(permissions)) return body;
  return { ...object, default_member_permissions: Number(permissions) };
}

/**
 * A request body checked against Discord's own schema for its route: 50035 Invalid Form Body, in Discord's error
 * shape, when Discord would refuse it. Limits the schema does not state are checked by each route.
 */
export function validateRequestBody(method: string, template: string, body: unknown): DiscordHttpError | null {
  const schema = bodySchemaFor(method, template);
  if (!schema || body === undefined) return null;
  const result = schema.safeParse(asSpecTypes(body), { reportInput: true });
  if (result.success) return null;
  return invalidFormBody(result.error.issues.flatMap((issue) => toFieldErrors(issue)));
}
