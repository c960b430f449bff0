/* oxlint-disable vitest/no-conditional-expect -- which checks a review card needs depends on the answer it shows, known only at run time */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, grades } from '../../src/db/schema.ts';
import type { Actor, FakeMessage } from '../fake-discord/index.ts';
import { parseCsv } from '../support/csvParse.ts';
import { buttonLabels, startWorld, textOf, type World } from './world.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

type Key = 'everyone' | 'mentions' | 'fence' | 'markdown' | 'links' | 'invisible' | 'sql' | 'long' | 'backslashes';

/** Student text as rendered: no code fence, masked link or heading may survive unescaped. */
function expectLayoutSafe(text: string, label: string): void {
  expect(text, `${label}: code fence`).not.toContain('```');
  expect(text, `${label}: masked link`).not.toMatch(/(?<!\\)\[[^\]\n]*\]\(https?:/);
  expect(text, `${label}: heading`).not.toMatch(/^#{1,3} /m);
  expect(text, `${label}: block quote`).not.toMatch(/^[ \t]*>/m);
  expect(text, `${label}: subtext`).not.toMatch(/^[ \t]*-# /m);
}

describe('hostile text in answers, names and feedback', () => {
  let world: World;
  let hostile: Record<Key, string>;
  const authors = new Map<Key, Actor>();
  const feedbackOf = new Map<Key, string>();
  const starred: Key[] = ['everyone', 'fence', 'links', 'long', 'mentions'];
  let nulStudent: Actor;
  let post: FakeMessage;
  let inputs = 0;

  beforeAll(async () => {
    world = await startWorld();
    const role = world.guild.createRole('Cohort 7 role');
    const [ada] = world.students;
    const core: Omit<Record<Key, string>, 'long'> = {
      everyone: 'MARK-everyone @everyone @here look at this',
      mentions: `MARK-mentions <@&${role.id}> <@${world.instructor.id}> <@!${ada.id}> <#${world.guild.cohortChannel.id}> </quiz:1>`,
      fence: 'MARK-fence\n```js\nconst unclosed = "fence";\n',
      markdown:
        'MARK-markdown\n# Heading\n## Sub\n-# small\n> quote\n>>> block quote\n- bullet\n1. numbered\n**bold** __under__ ~~strike~~ ||spoiler||',
      links: 'MARK-links [click me](http://evil.example/phish) <http://evil.example> https://evil.example/@everyone',
      invisible:
        'MARK-invisible a\u200bb\u200cc\u200dd\u2060e\ufefff \u202eevil\u202c \u2066isolate\u2069 مرحبا עברית 🎉👩‍👩‍👧',
      sql: "MARK-sql '); DROP TABLE answers; -- \\ \" ' $1 %s ${process.env} {{x}} \\u0000 /* */ ;",
      backslashes: 'MARK-backslashes ends with backslashes \\\\\\ and a ` lone backtick and *',
    };
    // 4000 characters, all of them hostile, ending on an emoji so a naive cut would split a surrogate pair.
    const filler = Object.values(core)
      .map((text) => text.replace(/^MARK-\w+/, ''))
      .join('\n');
    const start = 'MARK-long ';
    let long = start;
    while (long.length < 3998) long += filler.slice(0, 3998 - long.length);
    long += '🎉';
    hostile = { ...core, long };
    expect(hostile.long).toHaveLength(4000);

    // Students beyond the first three join with hostile display names.
    const names: Partial<Record<Key, string>> = {
      markdown: '**Bold** `x` ||y||',
      links: '@everyone',
      invisible: '\u202eEvil RTL',
      sql: `<@&${role.id}>`,
    };
    const keys = Object.keys(hostile) as Key[];
    for (const [index, key] of keys.entries())
      authors.set(key, world.students[index] ?? world.guild.addStudent(names[key] ?? `Student ${key}`));
    nulStudent = world.guild.addStudent('Nul');
    for (const [index, key] of keys.entries())
      feedbackOf.set(
        key,
        `FEEDBACK-${key} ${Array.from(hostile[keys[(index + 1) % keys.length]!])
          .slice(0, 900)
          .join('')}`,
      );

    await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '09:00',
      timezone: 'Europe/Berlin',
    });
    await world.instructor.run('daily post');
    post = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('every hostile answer is saved and acknowledged; a NUL byte is refused with a message', async () => {
    for (const [key, student] of authors) {
      await student.click(post, 'Answer');
      const saved = await student.submitModal(hostile[key]);
      expect(textOf(saved.message), key).toMatch(/is saved/);
      inputs += 1;
    }
    await nulStudent.click(post, 'Answer');
    const refused = await nulStudent.submitModal('before\u0000after');
    expect(refused.ephemeral).toBe(true);
    expect(textOf(refused.message)).toMatch(/NUL character/);
    inputs += 1;
    world.expectHealthy();
  });

  it('the review card shows each answer escaped and within limits; starring and hostile feedback work', async () => {
    let card = (await world.instructor.run('review', { kind: 'daily' })).message!;
    const seen = new Set<Key>();
    for (let n = 0; n < authors.size; n += 1) {
      const description = (card.embeds[0] as { description?: string }).description ?? '';
      const key = (Object.keys(hostile) as Key[]).find((candidate) => description.includes(`MARK-${candidate}`));
      expect(key, `card ${n} shows its answer`).toBeDefined();
      seen.add(key!);
      expectLayoutSafe(description, `card of ${key}`);
      const name =
        (card.embeds[0] as { fields?: { name: string; value: string }[] }).fields?.find(
          (field) => field.name === 'Student',
        )?.value ?? '';
      if (key === 'markdown') expect(name, 'a Markdown display name is shown escaped').toContain('\\*\\*Bold\\*\\*');
      if (key === 'long') expect(description).toContain('… (shortened)');
      if (key === 'invisible') expect(description).toContain('\u202eevil\u202c');

      if (starred.includes(key!)) {
        card = (await world.instructor.click(card, 'Star: show publicly in the reveal')).message!;
        expect(textOf(card)).toMatch(/Starred for the reveal/);
      }
      const modal = await world.instructor.click(card, 'Feedback');
      expect(modal.kind).toBe('modal');
      if (key === 'sql') {
        const nul = await world.instructor.submitModal('feedback with a \u0000 byte');
        expect(textOf(nul.followUps[0] ?? nul.message)).toMatch(/NUL/);
        inputs += 1;
        await world.instructor.click(card, 'Feedback');
      }
      const withFeedback = await world.instructor.submitModal(feedbackOf.get(key!)!);
      inputs += 1;
      card = withFeedback.message!;
      expect(textOf(card)).toMatch(/Feedback saved/);
      expectLayoutSafe(
        textOf(card).split('Feedback (sent with the grade)')[1] ?? '',
        `feedback shown on the card of ${key}`,
      );
      card = (await world.instructor.click(card, 'Correct')).message!;
    }
    expect(seen.size).toBe(authors.size);
    expect(textOf(card)).toMatch(/Nothing left to review/);
    world.expectHealthy();
  });

  it('the grade DMs carry the hostile feedback within limits', async () => {
    for (const [key, student] of authors) {
      const dm = await world.fake.waitFor(() => student.dms()[0], CONDITION_TIMEOUT_MS, `the grade DM of ${key}`);
      const text = textOf(dm);
      expect(text).toMatch(/graded: Correct/);
      expect(text).toContain(feedbackOf.get(key)!);
    }
    world.expectHealthy();
  });

  it('the reveal shows the starred hostile answers escaped and within limits', async () => {
    expect(textOf((await world.instructor.run('daily close')).message)).toMatch(/Closed/);
    const reveal = await world.fake.waitFor(
      () => world.fake.channelMessages(world.guild.cohortChannel.id)[1],
      CONDITION_TIMEOUT_MS,
      'the reveal',
    );
    const fields = (reveal.embeds[0] as { fields: { name: string; value: string }[] }).fields.filter((field) =>
      field.name.includes('Starred'),
    );
    expect(fields).toHaveLength(starred.length);
    for (const key of starred) {
      const field = fields.find((candidate) => candidate.value.includes(`MARK-${key}`));
      expect(field, `starred answer ${key}`).toBeDefined();
      expect(field!.value).toContain(`<@${authors.get(key)!.id}>`);
      expectLayoutSafe(field!.value, `reveal of ${key}`);
    }
    expect(buttonLabels(world.fake.message(post.id))).toEqual(['Answer (disabled)']);
    world.expectHealthy();
  });

  it('/leaderboard and /export show hostile names and texts without pinging, and the CSV round-trips them', async () => {
    const board = await world.students[0].run('leaderboard');
    expect(textOf(board.message)).toContain(`<@${authors.get('links')!.id}>`);
    const exported = await world.instructor.run('export');
    const rows = parseCsv(exported.message!.attachments[0]!.text().replace(/^\uFEFF/, ''));
    const byStudent = new Map(rows.slice(1).map((row) => [row[3], row]));
    for (const [key, student] of authors) {
      const row = byStudent.get(student.id)!;
      expect([hostile[key], `'${hostile[key]}`], `CSV answer of ${key}`).toContain(row[7]);
      expect(row[10], `CSV feedback of ${key}`).toBe(feedbackOf.get(key));
    }
    expect(byStudent.has(nulStudent.id)).toBe(false);
    world.expectHealthy();
  });

  it('the database stores every answer and feedback exactly as typed, and nothing for the NUL answer', async () => {
    process.stdout.write(`hostile inputs tried: ${inputs}\n`);
    const stored = await world.inspectDatabase(async ({ db }) =>
      db
        .select({ userId: answers.userId, body: answers.body, feedback: grades.feedback })
        .from(answers)
        .leftJoin(grades, eq(grades.answerId, answers.id)),
    );
    expect(stored).toHaveLength(authors.size);
    for (const [key, student] of authors) {
      const row = stored.find((candidate) => candidate.userId === student.id);
      expect(row?.body, `answer of ${key}`).toBe(hostile[key]);
      expect(row?.feedback, `feedback for ${key}`).toBe(feedbackOf.get(key));
    }
    expect(stored.some((row) => row.userId === nulStudent.id)).toBe(false);
  });
});
