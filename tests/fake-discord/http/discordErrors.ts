import { RESTJSONErrorCodes } from 'discord-api-types/v10';
export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

export interface DiscordErrorBody {
  code?: number;
  message: string;
  errors?: Record<string, unknown>;
  retry_after?: number;
  global?: boolean;
}

export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.code ?? 0} ${body.message}`);
  }
}

function nestErrors(fieldErrors: FieldError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of fieldErrors) {
    let node = root;
    for (const key of path) {
      const name = String(key);
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code, message });
  }
  return root;
}

export function invalidFormBody(fieldErrors: FieldError[], prefix: (string | number)[] = []): DiscordHttpError {
  const prefixed = fieldErrors.map((error) => ({ ...error, path: [...prefix, ...error.path] }));
  return new DiscordHttpError(400, {
    code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
    message: 'Invalid Form Body',
    errors: nestErrors(prefixed),
  });
}

export const discordErrors = {
  unauthorized: () => new DiscordHttpError(401, { code: 0, message: '401: Unauthorized' }),
  notFound: () => new DiscordHttpError(404, { code: 0, message: '404: Not Found' }),
  unknownChannel: () =>
    new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownChannel, message: 'Unknown Channel' }),
  unknownGuild: () => new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownGuild, message: 'Unknown Guild' }),
  unknownMember: () => new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownMember, message: 'Unknown Member' }),
  unknownMessage: () =>
    new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownMessage, message: 'Unknown Message' }),
  unknownRole: () => new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownRole, message: 'Unknown Role' }),
  unknownUser: () => new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownUser, message: 'Unknown User' }),
  unknownWebhook: () =>
    new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownWebhook, message: 'Unknown Webhook' }),
  unknownCommand: () =>
    new DiscordHttpError(404, {
      code: RESTJSONErrorCodes.UnknownApplicationCommand,
      message: 'Unknown application command',
    }),
  unknownInteraction: () =>
    new DiscordHttpError(404, { code: RESTJSONErrorCodes.UnknownInteraction, message: 'Unknown interaction' }),
  alreadyAcknowledged: () =>
    new DiscordHttpError(400, {
      code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
      message: 'Interaction has already been acknowledged.',
    }),
  emptyMessage: () =>
    new DiscordHttpError(400, {
      code: RESTJSONErrorCodes.CannotSendAnEmptyMessage,
      message: 'Cannot send an empty message',
    }),
  cannotMessageUser: () =>
    new DiscordHttpError(403, {
      code: RESTJSONErrorCodes.CannotSendMessagesToThisUser,
      message: 'Cannot send messages to this user',
    }),
  missingAccess: () => new DiscordHttpError(403, { code: RESTJSONErrorCodes.MissingAccess, message: 'Missing Access' }),
  missingPermissions: () =>
    new DiscordHttpError(403, { code: RESTJSONErrorCodes.MissingPermissions, message: 'Missing Permissions' }),
  cannotEditOthersMessage: () =>
    new DiscordHttpError(403, {
      code: RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
      message: 'Cannot edit a message authored by another user',
    }),
  invalidWebhookToken: () =>
    new DiscordHttpError(401, { code: RESTJSONErrorCodes.InvalidWebhookToken, message: 'Invalid Webhook Token' }),
  methodNotAllowed: () => new DiscordHttpError(405, { code: 0, message: '405: Method Not Allowed' }),
};
