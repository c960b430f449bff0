import { describe, expect, it } from 'vitest';
import { parseCustomId } from '../../../src/discord/customId.ts';
import { componentIds } from '../../../src/discord/componentIds.ts';
import { dailyReceipt } from '../../../src/discord/render/receipt.ts';
import { validateMessageBody, type JsonObject } from '../../fake-discord/index.ts';

// The daily receipt is built from data, not through the builders' checking setters (it is every answer's reply in
// a burst): Discord's own rules, as the local Discord applies them, are its check.
describe('the daily receipt', () => {
  const longest = '**bold** _it_ # heading\n- item\n[link](https://example.com) `code` '.repeat(60).slice(0, 4000);

  it.each([
    { version: 1, closesAt: new Date('2026-03-02T17:00:00Z'), body: longest },
    { version: 3, closesAt: null, body: '   ' },
  ])('is a message Discord accepts (version $version)', ({ version, closesAt, body }) => {
    const receipt = dailyReceipt({ answerId: 42, version, body, closesAt, pointsAdded: 2 });
    const message = {
      embeds: receipt.embeds.map((embed) => embed.toJSON()),
      components: receipt.components.map((row) => row.toJSON()),
    } as unknown as JsonObject;
    expect(validateMessageBody(message)).toBeNull();
  });

  it('says what was saved and offers the Edit button of that answer', () => {
    const receipt = dailyReceipt({
      answerId: 42,
      version: 1,
      body: 'A token *signed* by the server',
      closesAt: new Date('2026-03-02T17:00:00Z'),
      pointsAdded: 2,
    });
    const embed = receipt.embeds[0]!.toJSON();
    expect(embed.title).toBe('Saved ✓');
    expect(embed.description).toContain('+2 points for answering');
    expect(embed.description).toContain('<t:1772470800:R>');
    expect(embed.fields?.[0]).toEqual({ name: 'Your answer', value: 'A token \\*signed\\* by the server' });
    const [button] = receipt.components[0]!.toJSON().components;
    expect(button).toMatchObject({ label: 'Edit' });
    const parsed = parseCustomId((button as { custom_id: string }).custom_id);
    expect(parsed && componentIds.quizEdit.parse(parsed.args)).toEqual({ answerId: 42 });
  });
});
