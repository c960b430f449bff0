import { TextInputBuilder, TextInputStyle, type ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../errors.ts';

/** A paragraph field of a modal, declared once: it builds the input and checks what comes back. */
export interface TextField {
  inputId: string;
  label: string;
  maxLength: number;
  /** What the user is told: the field is missing (a forged form), blank, holds a NUL character, or is too long. */
  refusals: { missing: string; blank: string; nul: string; tooLong: string };
}

export function textInput(field: TextField): TextInputBuilder {
  return new TextInputBuilder()
    .setCustomId(field.inputId)
    .setLabel(field.label)
    .setStyle(TextInputStyle.Paragraph)
    .setMinLength(1)
    .setMaxLength(field.maxLength)
    .setRequired(true);
}

/**
 * The field's text as submitted, or a clear refusal. Discord enforces the lengths of its own forms, but a forged
 * submission does not go through Discord's form, and PostgreSQL cannot store a NUL character.
 */
export function readTextField(interaction: Pick<ModalSubmitInteraction, 'fields'>, field: TextField): string {
  const input = interaction.fields.fields.get(field.inputId);
  const text = input && 'value' in input ? String(input.value) : null;
  if (text === null) throw new UserError(field.refusals.missing);
  if (text.trim() === '') throw new UserError(field.refusals.blank);
  if (text.includes('\u0000')) throw new UserError(field.refusals.nul);
  if (text.length > field.maxLength) throw new UserError(field.refusals.tooLong);
  return text;
}
