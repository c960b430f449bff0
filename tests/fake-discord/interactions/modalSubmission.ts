import { ComponentType } from 'discord-api-types/v10';
import { messagePayload } from '../state/apiPayloads.ts';
import type { FakeContext } from '../context.ts';
import type { JsonObject, ShownModal } from '../state/model.ts';

export function modalValues(modal: ShownModal, values: Record<string, string> | string): Map<string, string> {
  const inputs = modal.inputs;
  let entries: Record<string, string>;
  if (typeof values === 'string') {
    const [only, ...rest] = inputs;
    if (!only || rest.length > 0)
      throw new Error(`modal "${modal.customId}" has ${inputs.length} text inputs; pass an object keyed by custom_id`);
    entries = { [only.customId]: values };
  } else entries = values;
  const known = new Set(inputs.map((input) => input.customId));
  for (const key of Object.keys(entries)) {
    if (!known.has(key))
      throw new Error(`modal "${modal.customId}" has no text input "${key}" (inputs: ${[...known].join(', ')})`);
  }
  const result = new Map<string, string>();
  for (const input of inputs) {
    const value = entries[input.customId] ?? '';
    if (input.required && value.length === 0)
      throw new Error(`modal "${modal.customId}": "${input.label}" is required`);
    if (value.length > 0 && (value.length < input.minLength || value.length > input.maxLength)) {
      throw new Error(
        `modal "${modal.customId}": "${input.label}" must be ${input.minLength} to ${input.maxLength} characters, got ${value.length}`,
      );
    }
    result.set(input.customId, value);
  }
  return result;
}

export function modalSubmitData(modal: ShownModal, values: Map<string, string>): JsonObject {
  const components = modal.inputs.map((input) => {
    const textInput = {
      type: ComponentType.TextInput,
      custom_id: input.customId,
      value: values.get(input.customId) ?? '',
    };
    return input.wrappedInLabel
      ? { type: ComponentType.Label, component: textInput }
      : { type: ComponentType.ActionRow, components: [textInput] };
  });
  return { custom_id: modal.customId, components };
}

export function forgedModalSubmitData(customId: string, values: Record<string, string>): JsonObject {
  return {
    custom_id: customId,
    components: Object.entries(values).map(([key, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: key, value }],
    })),
  };
}

export function sourceMessageExtra(context: FakeContext, messageId: string | null): JsonObject {
  const message = messageId ? context.store.messages.get(messageId) : undefined;
  return message ? { message: messagePayload(context.store, message) } : {};
}
