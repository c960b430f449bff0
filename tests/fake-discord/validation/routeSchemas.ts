import * as spec from 'discord-api-spec/zod';
import * as z from 'zod/mini';
import { closeObjectsExcept } from './strictSchema.ts';

type Schema = z.ZodMiniType;

/** Every interaction callback the local Discord answers; the body's `type` picks the one it is checked against. */
const interactionCallback = z.union([
  spec.CreateMessageInteractionCallbackRequestSchema,
  spec.UpdateMessageInteractionCallbackRequestSchema,
  spec.ApplicationCommandAutocompleteCallbackRequestSchema,
  spec.ModalInteractionCallbackRequestSchema,
]);

/**
 * The request body of each route the bot writes to, keyed `METHOD template` with the templates of restRoutes.ts,
 * as Discord's OpenAPI description defines it (discord-api-spec). Routes without a body are not listed.
 */
const SPEC_BODIES: Record<string, Schema> = {
  'POST /channels/:channelId/messages': spec.MessageCreateRequestSchema,
  'PATCH /channels/:channelId/messages/:messageId': spec.MessageEditRequestPartialSchema,
  'POST /interactions/:id/:token/callback': interactionCallback,
  'POST /webhooks/:app/:token': spec.IncomingWebhookRequestPartialSchema,
  'PATCH /webhooks/:app/:token/messages/:messageId': spec.IncomingWebhookUpdateRequestPartialSchema,
  'POST /users/@me/channels': spec.CreatePrivateChannelRequestSchema,
  'PUT /applications/:app/commands': z.array(spec.ApplicationCommandUpdateRequestSchema),
  'POST /applications/:app/commands': spec.ApplicationCommandCreateRequestSchema,
  'PATCH /applications/:app/commands/:commandId': spec.ApplicationCommandPatchRequestPartialSchema,
  'PUT /applications/:app/guilds/:guild/commands': z.array(spec.ApplicationCommandUpdateRequestSchema),
  'POST /applications/:app/guilds/:guild/commands': spec.ApplicationCommandCreateRequestSchema,
  'PATCH /applications/:app/guilds/:guild/commands/:commandId': spec.ApplicationCommandPatchRequestPartialSchema,
};

/**
 * Discord ignores fields it does not know at the top of a message body: discord.js sends `enforce_nonce` and `tts`
 * to interaction callbacks and webhook edits, whose schemas do not name them, and bots work. Those bodies stay open.
 * Every object inside them (components, embeds, allowed_mentions, attachments, command options, choices) is closed,
 * so a misspelt field the bot sends there is refused instead of silently dropped as Discord would.
 */
const OPEN_BODIES = new Set<Schema>([
  ...Object.values(SPEC_BODIES),
  spec.CreateMessageInteractionCallbackRequestSchema,
  spec.UpdateMessageInteractionCallbackRequestSchema,
  spec.ApplicationCommandAutocompleteCallbackRequestSchema,
  spec.ModalInteractionCallbackRequestSchema,
  spec.IncomingWebhookInteractionRequestSchema,
  spec.IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  spec.ApplicationCommandUpdateRequestSchema,
]);

const close = closeObjectsExcept(OPEN_BODIES);
const checkedBodies = new Map(Object.entries(SPEC_BODIES).map(([route, schema]) => [route, close(schema)]));

/** The schema a body sent to this route must match; none for a route without a body. */
export function bodySchemaFor(method: string, template: string): Schema | undefined {
  return checkedBodies.get(`${method} ${template}`);
}
