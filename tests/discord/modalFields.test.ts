import { describe, expect, it } from 'vitest';
import { readTextField, textInput, type TextField } from '../../src/discord/modalFields.ts';
import { answerField } from '../../src/discord/render/question.ts';
import { feedbackField } from '../../src/discord/render/feedbackModal.ts';

const field: TextField = {
  inputId: 'note',
  label: 'Your note',
  maxLength: 10,
  refusals: { missing: 'missing', blank: 'blank', nul: 'nul', tooLong: 'too long' },
};
/** A submitted form as discord.js reads it: its text inputs by custom id. */
const submitted = (values: Record<string, string>) =>
  ({
    fields: {
      fields: new Map(Object.entries(values).map(([customId, value]) => [customId, { customId, type: 4, value }])),
    },
  }) as unknown as Parameters<typeof readTextField>[0];

describe('reading a modal text field', () => {
  it('gives the text as submitted, spaces and line breaks kept', () => {
    expect(readTextField(submitted({ note: ' a\nb ' }), field)).toBe(' a\nb ');
    expect(readTextField(submitted({ note: 'x'.repeat(10) }), field)).toBe('x'.repeat(10));
  });

  it.each([
    ['a form without the field', {}, 'missing'],
    ['another field only', { other: 'x' }, 'missing'],
    ['an empty text', { note: '' }, 'blank'],
    ['only spaces and line breaks', { note: ' \n\t ' }, 'blank'],
    ['a NUL character', { note: 'a\u0000b' }, 'nul'],
    ['one character over the limit', { note: 'x'.repeat(11) }, 'too long'],
  ])('refuses %s with its message', (_what, values: Record<string, string>, message) => {
    expect(() => readTextField(submitted(values), field)).toThrow(message);
  });

  it('builds the input with the same id and limit it checks', () => {
    for (const declared of [answerField, feedbackField]) {
      const input = textInput(declared).toJSON();
      expect(input).toMatchObject({
        custom_id: declared.inputId,
        max_length: declared.maxLength,
        min_length: 1,
        required: true,
      });
    }
  });
});
