import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { startFakeDiscord, type FakeDiscord, type Guild } from './index.ts';
import { validateModal } from './validation/modalValidation.ts';
import { validateAutocompleteChoices } from './validation/commandValidation.ts';
import { validateRequestBody } from './validation/requestBody.ts';
import { BODIES_DISCORD_REFUSES } from './fixtures/bodiesDiscordRefuses.ts';

let fake: FakeDiscord;
let guild: Guild;

beforeAll(async () => {
  fake = await startFakeDiscord();
  guild = fake.createGuild();
});

afterAll(async () => {
  await fake.close();
});

async function postMessage(
  body: unknown,
  token = fake.token,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${fake.apiUrl}/v10/channels/${guild.cohortChannel.id}/messages`, {
    method: 'POST',
    headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const button = (custom_id: string | undefined, label = 'Go') => ({
  type: 2,
  style: 1,
  label,
  ...(custom_id === undefined ? {} : { custom_id }),
});
const row = (count: number) => ({
  type: 1,
  components: Array.from({ length: count }, (_, index) => button(`b${Math.random()}${index}`)),
});
const field = (name: string, value: string) => ({ name, value });

describe('Discord message limits', () => {
  it.each([
    ['content over 2000', { content: 'x'.repeat(2001) }],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }],
    ['embed title over 256', { embeds: [{ title: 'x'.repeat(257) }] }],
    ['embed description over 4096', { embeds: [{ description: 'x'.repeat(4097) }] }],
    ['26 embed fields', { embeds: [{ fields: Array.from({ length: 26 }, () => field('n', 'v')) }] }],
    ['field name over 256', { embeds: [{ fields: [field('x'.repeat(257), 'v')] }] }],
    ['field value over 1024', { embeds: [{ fields: [field('n', 'x'.repeat(1025))] }] }],
    ['footer over 2048', { embeds: [{ footer: { text: 'x'.repeat(2049) } }] }],
    ['author name over 256', { embeds: [{ author: { name: 'x'.repeat(257) } }] }],
    [
      'embeds over 6000 characters in all',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] },
    ],
    ['6 action rows', { components: Array.from({ length: 6 }, () => row(1)) }],
    ['6 buttons in a row', { components: [row(6)] }],
    ['button without custom_id', { components: [{ type: 1, components: [button(undefined)] }] }],
    ['custom_id over 100', { components: [{ type: 1, components: [button('x'.repeat(101))] }] }],
    ['button label over 80', { components: [{ type: 1, components: [button('ok', 'x'.repeat(81))] }] }],
    ['duplicate custom_id', { components: [{ type: 1, components: [button('same'), button('same')] }] }],
    [
      'select with 26 options',
      {
        components: [
          {
            type: 1,
            components: [
              {
                type: 3,
                custom_id: 's',
                options: Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `v${i}` })),
              },
            ],
          },
        ],
      },
    ],
  ])('rejects %s with 50035', async (_name, body) => {
    const { status, json } = await postMessage(body);
    expect(status).toBe(400);
    expect(json.code).toBe(50035);
    expect(json.errors).toBeTypeOf('object');
  });

  it('rejects an empty message with 50006 like Discord', async () => {
    expect(await postMessage({ content: '' })).toMatchObject({ status: 400, json: { code: 50006 } });
  });

  it('accepts a message at the limits and records it', async () => {
    const body = {
      content: 'x'.repeat(2000),
      embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(4096), fields: [field('n', 'v'.repeat(1024))] }],
      components: Array.from({ length: 5 }, () => row(5)),
      allowed_mentions: { parse: [] },
    };
    const { status, json } = await postMessage(body);
    expect(status).toBe(200);
    expect(fake.lastChannelMessage(guild.cohortChannel.id)?.id).toBe(json.id);
  });

  it('rejects a wrong token with 401', async () => {
    expect((await postMessage({ content: 'hi' }, 'not-the-token')).status).toBe(401);
  });

  it('answers a 500 fault and records it', async () => {
    fake.faults.rest({ route: /\/channels\/\d+\/messages$/, status: 500, times: 1 });
    expect((await postMessage({ content: 'hi' })).status).toBe(500);
    expect((await postMessage({ content: 'hi' })).status).toBe(200);
  });
});

describe('Discord modal and autocomplete limits', () => {
  const input = (extra: Record<string, unknown> = {}) => ({
    type: 1,
    components: [{ type: 4, custom_id: 'answer', style: 2, label: 'Answer', ...extra }],
  });

  it('accepts a valid modal', () => {
    expect(
      validateModal({
        custom_id: 'm',
        title: 'What is a JWT?',
        components: [input({ min_length: 1, max_length: 4000 })],
      }),
    ).toEqual([]);
  });

  it.each([
    ['title over 45', { custom_id: 'm', title: 'x'.repeat(46), components: [input()] }],
    ['custom_id over 100', { custom_id: 'x'.repeat(101), title: 't', components: [input()] }],
    ['label over 45', { custom_id: 'm', title: 't', components: [input({ label: 'x'.repeat(46) })] }],
    ['max_length over 4000', { custom_id: 'm', title: 't', components: [input({ max_length: 4001 })] }],
    [
      'min_length over max_length',
      { custom_id: 'm', title: 't', components: [input({ min_length: 10, max_length: 5 })] },
    ],
    ['placeholder over 100', { custom_id: 'm', title: 't', components: [input({ placeholder: 'x'.repeat(101) })] }],
    ['no components', { custom_id: 'm', title: 't', components: [] }],
  ])('rejects a modal with %s', (_name, modal) => {
    expect(validateModal(modal).length).toBeGreaterThan(0);
  });

  it('rejects more than 25 autocomplete choices', () => {
    const choices = Array.from({ length: 26 }, (_, index) => ({ name: `c${index}`, value: `c${index}` }));
    expect(validateAutocompleteChoices({ choices }).error?.body.code).toBe(50035);
    expect(validateAutocompleteChoices({ choices: choices.slice(0, 25) }).error).toBeNull();
  });
});

async function send(
  method: string,
  route: string,
  body: unknown,
): Promise<{ status: number; json: { code?: number; errors?: unknown } }> {
  const response = await fetch(`${fake.apiUrl}/v10${route}`, {
    method,
    headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { code?: number; errors?: unknown } };
}

/** The `_errors` Discord lists at one path of its error tree. */
function errorsAt(tree: unknown, path: (string | number)[]): unknown {
  const node = path.reduce<unknown>(
    (current, key) => (current as Record<string, unknown> | undefined)?.[String(key)],
    tree,
  );
  return (node as { _errors?: unknown } | undefined)?._errors;
}

describe("request bodies checked against Discord's own schema (discord-api-spec)", () => {
  it.each(BODIES_DISCORD_REFUSES.map((refused) => [refused.name, refused] as const))(
    'refuses %s with 50035 Invalid Form Body',
    (_name, refused) => {
      const error = validateRequestBody(refused.method, refused.template, refused.body);
      expect(error?.status).toBe(400);
      expect(error?.body).toMatchObject({
        code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
        message: 'Invalid Form Body',
      });
      expect(errorsAt(error?.body.errors, refused.errorPath)).toEqual([
        expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      ]);
    },
  );

  it('answers a refused message over HTTP in Discord’s error shape and stores nothing', async () => {
    const before = fake.channelMessages(guild.cohortChannel.id).length;
    const { status, json } = await send('POST', `/channels/${guild.cohortChannel.id}/messages`, {
      content: 'hi',
      allowed_mentions: { parse: ['here'] },
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      code: 50035,
      errors: { allowed_mentions: { parse: { 0: { _errors: [{ code: 'ENUM_TYPE_COERCE' }] } } } },
    });
    expect(fake.channelMessages(guild.cohortChannel.id)).toHaveLength(before);
    expect(fake.errors.at(-1)).toMatchObject({ status: 400, code: 50035 });
  });

  it('refuses a command list with a string option of max_length 0 over HTTP and registers nothing', async () => {
    const commands = [
      {
        name: 'quiz',
        description: 'Practise',
        options: [{ type: 3, name: 'answer', description: 'Your answer', max_length: 0 }],
      },
    ];
    const { status, json } = await send(
      'PUT',
      `/applications/${fake.applicationId}/guilds/${guild.id}/commands`,
      commands,
    );
    expect(status).toBe(400);
    expect(errorsAt(json.errors, [0, 'options', 0, 'max_length'])).toEqual([
      expect.objectContaining({ code: 'NUMBER_TYPE_MIN' }),
    ]);
    expect(fake.registeredCommands(guild.id)).toEqual([]);
  });

  it('refuses a DM recipient that is not a snowflake with 50035 before looking the user up', async () => {
    expect(await send('POST', '/users/@me/channels', { recipient_id: 'ada' })).toMatchObject({
      status: 400,
      json: { code: 50035 },
    });
  });

  it('accepts what discord.js really sends: unknown fields at the top of a body, permissions as a string of digits', () => {
    const edit = { content: 'deferred result', tts: false, enforce_nonce: false, allowed_mentions: { parse: [] } };
    expect(validateRequestBody('PATCH', '/webhooks/:app/:token/messages/:messageId', edit)).toBeNull();
    expect(validateRequestBody('POST', '/interactions/:id/:token/callback', { type: 4, data: edit })).toBeNull();
    const command = {
      name: 'quiz',
      description: 'Practise',
      default_member_permissions: '32',
      contexts: [0],
      options: [{ type: 3, name: 'answer', description: 'Your answer', max_length: 1 }],
    };
    expect(validateRequestBody('PUT', '/applications/:app/guilds/:guild/commands', [command])).toBeNull();
  });
});
