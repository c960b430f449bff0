import type { FieldError } from '../http/discordErrors.ts';
import { asArray, asObject, checkMaxItems, checkString, type Path } from './fieldChecks.ts';

const EMBED_TOTAL_LIMIT = 6000;

function textLength(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

function embedCharacterCount(embed: unknown): number {
  const object = asObject(embed) ?? {};
  let total = textLength(object.title) + textLength(object.description);
  total += textLength(asObject(object.footer)?.text) + textLength(asObject(object.author)?.name);
  for (const field of asArray(object.fields)) {
    total += textLength(asObject(field)?.name) + textLength(asObject(field)?.value);
  }
  return total;
}

export function validateEmbeds(errors: FieldError[], embeds: unknown, path: Path = ['embeds']): void {
  if (embeds === undefined || embeds === null) return;
  checkMaxItems(errors, path, embeds, 10);
  let total = 0;
  asArray(embeds).forEach((embed, index) => {
    const object = asObject(embed) ?? {};
    const at = [...path, index];
    checkString(errors, [...at, 'title'], object.title, { max: 256 });
    checkString(errors, [...at, 'description'], object.description, { max: 4096 });
    checkString(errors, [...at, 'footer', 'text'], asObject(object.footer)?.text, { max: 2048 });
    checkString(errors, [...at, 'author', 'name'], asObject(object.author)?.name, { max: 256 });
    checkMaxItems(errors, [...at, 'fields'], object.fields, 25);
    asArray(object.fields).forEach((field, fieldIndex) => {
      const fieldObject = asObject(field) ?? {};
      checkString(errors, [...at, 'fields', fieldIndex, 'name'], fieldObject.name, {
        min: 1,
        max: 256,
        required: true,
      });
      checkString(errors, [...at, 'fields', fieldIndex, 'value'], fieldObject.value, {
        min: 1,
        max: 1024,
        required: true,
      });
    });
    if (typeof object.color === 'number' && (object.color < 0 || object.color > 0xffffff)) {
      errors.push({
        path: [...at, 'color'],
        code: 'NUMBER_TYPE_MAX',
        message: 'Must be less than or equal to 16777215.',
      });
    }
    total += embedCharacterCount(embed);
  });
  if (total > EMBED_TOTAL_LIMIT) {
    errors.push({
      path,
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${EMBED_TOTAL_LIMIT}`,
    });
  }
}
