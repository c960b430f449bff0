import { MessageFlags } from 'discord-api-types/v10';
import { discordErrors, invalidFormBody, type DiscordHttpError, type FieldError } from '../http/discordErrors.ts';
import { validateMessageComponents, IS_COMPONENTS_V2 } from './componentValidation.ts';
import { validateEmbeds } from './embedValidation.ts';
import { asArray, checkString, type Path } from './fieldChecks.ts';
import type { JsonObject } from '../state/model.ts';

export const EPHEMERAL_FLAG = MessageFlags.Ephemeral;
export const LOADING_FLAG = 1 << 7;

export function validateMessageBody(body: JsonObject, prefix: Path = []): DiscordHttpError | null {
  const errors: FieldError[] = [];
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  checkString(errors, ['content'], body.content, { max: 2000 });
  validateEmbeds(errors, body.embeds);
  validateMessageComponents(errors, body.components, flags);
  if ((flags & IS_COMPONENTS_V2) !== 0) {
    if (typeof body.content === 'string' && body.content.length > 0) {
      errors.push({
        path: ['content'],
        code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        message: "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      });
    }
    if (asArray(body.embeds).length > 0) {
      errors.push({
        path: ['embeds'],
        code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        message: "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      });
    }
  }
  return errors.length > 0 ? invalidFormBody(errors, prefix) : null;
}

export interface MessageShape {
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachmentCount: number;
}

export function emptyMessageError(shape: MessageShape): DiscordHttpError | null {
  const empty =
    shape.content.trim().length === 0 &&
    shape.embeds.length === 0 &&
    shape.components.length === 0 &&
    shape.attachmentCount === 0;
  return empty ? discordErrors.emptyMessage() : null;
}
