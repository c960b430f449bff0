import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { answersAfter } from '../../src/db/repo/exportAnswers.ts';
import { importQuestions } from '../../src/db/repo/importQuestions.ts';
import { createPracticePrompt } from '../../src/db/repo/prompts.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { loadShippedBank } from '../../src/quiz/bank/bank.ts';
import { describeEachEngine } from '../support/database.ts';
import { snowflake, suggesting } from '../support/fixtures.ts';
import { cohortIdOf } from '../support/cohortRows.ts';

const studentSheet = readFileSync('tests/fixtures/seeds/001_dd5155d4ae1a3602.txt', 'utf8');
const withSlug = (slug: string, question: string, reference: string) =>
  `- ${question}\n\n  <!-- slug: ${slug} | topic: Functions -->\n  Reference answer: ${reference}\n\n`;
const closures = `# Week 4\n\n${withSlug('closure', 'What is a closure?', 'A function with its scope.')}- What is hoisting?\n\n- What does \`this\` refer to?\n`;

describeEachEngine('importing questions', (database) => {
  const guildId = snowflake(801);
  beforeAll(async () => {
    await syncQuestions(database().db, null, loadShippedBank(), { retireMissing: true });
  });
  const own = async (guild: string) =>
    (await listQuestions(database().db, guild, { activeOnly: false })).filter((q) => q.guildId === guild);

  it('skips every question of a seed sheet: they are all in the shipped bank, named by slug', async () => {
    const report = await importQuestions(database().db, guildId, studentSheet);
    expect(report.found).toBe(14);
    expect(report).toMatchObject({ added: [], updated: [], unchanged: [] });
    expect(report.skipped).toHaveLength(14);
    expect(report.skipped[0]).toEqual({ question: 'What is a JWT?', reason: 'already in the bank as jwt-what' });
    expect(await own(guildId)).toEqual([]);
  });

  it("adds new questions to the guild's own bank, where listQuestions shows them and no other guild sees them", async () => {
    const report = await importQuestions(database().db, guildId, closures);
    expect(report).toMatchObject({
      added: ['closure', 'what-is-hoisting', 'what-does-this-refer-to'],
      updated: [],
      unchanged: [],
      skipped: [],
    });
    const listed = await listQuestions(database().db, guildId, { activeOnly: true });
    const closure = listed.find((q) => q.slug === 'closure');
    expect(closure).toMatchObject({
      guildId,
      topic: 'Functions',
      text: 'What is a closure?',
      referenceAnswer: 'A function with its scope.',
    });
    // Without metadata: the file's title as topic, and no reference answer or rubric (so no suggested grade).
    expect(listed.find((q) => q.slug === 'what-is-hoisting')).toMatchObject({
      topic: 'Week 4',
      referenceAnswer: null,
      rubric: null,
    });
    expect(listed.at(-1)?.slug).toBe('what-does-this-refer-to');
    expect(
      (await listQuestions(database().db, snowflake(802), { activeOnly: false })).some((q) => q.slug === 'closure'),
    ).toBe(false);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await own(guildId);
    const report = await importQuestions(database().db, guildId, closures);
    expect(report).toMatchObject({
      added: [],
      updated: [],
      unchanged: ['closure', 'what-is-hoisting', 'what-does-this-refer-to'],
      skipped: [],
    });
    expect(await own(guildId)).toEqual(before);
  });

  it("updates the guild's copy when the file gives its slug, even with reworded text", async () => {
    const before = (await own(guildId)).find((q) => q.slug === 'closure')!;
    const report = await importQuestions(
      database().db,
      guildId,
      withSlug('closure', 'What is a JavaScript closure?', 'A function and the scope it closes over.'),
    );
    expect(report).toMatchObject({ added: [], updated: ['closure'], skipped: [] });
    const after = (await own(guildId)).find((q) => q.slug === 'closure')!;
    expect(after).toMatchObject({
      id: before.id,
      text: 'What is a JavaScript closure?',
      referenceAnswer: 'A function and the scope it closes over.',
    });
    expect(after.position).toBe(before.position);
  });

  it('skips a question the bank has under another slug, or a slug that another question has', async () => {
    const file = [
      withSlug('my-jwt', 'What is a `JWT`?', 'A token.'),
      withSlug('jwt-what', 'What is a JSON Web Token used for?', 'Auth.'),
      withSlug('hoisting', 'What is hoisting?', 'Moving declarations up.'),
    ].join('');
    const report = await importQuestions(database().db, guildId, file);
    expect(report.added).toEqual([]);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      'already in the bank as jwt-what',
      'the slug "jwt-what" is taken by another question: give this one its own slug',
      'already in the bank as what-is-hoisting',
    ]);
  });

  it('imports the valid questions of a file and reports why the others were skipped', async () => {
    const guild = snowflake(803);
    const file = `${withSlug('Bad Slug', 'What is a monad?', 'x')}- What is currying?\n\n- What is currying?\n`;
    const report = await importQuestions(database().db, guild, file);
    expect(report.added).toEqual(['what-is-currying']);
    expect(report.skipped.map((s) => s.question)).toEqual(['What is a monad?', 'What is currying?']);
    expect(report.skipped[0]?.reason).toMatch(/^the slug "Bad Slug"/);
  });

  it('finds nothing in a file without questions and changes nothing', async () => {
    const guild = snowflake(804);
    const report = await importQuestions(database().db, guild, '# Notes\n\nJust some text.\n');
    expect(report).toEqual({ found: 0, added: [], updated: [], unchanged: [], skipped: [], incomplete: [] });
    expect(await own(guild)).toEqual([]);
  });

  it('adds each question once when two instructors import the same file at once', async () => {
    const guild = snowflake(805);
    const reports = await Promise.all([
      importQuestions(database().db, guild, closures),
      importQuestions(database().db, guild, closures),
    ]);
    expect(reports.map((r) => r.added.length).sort((x, y) => x - y)).toEqual([0, 3]);
    expect(await own(guild)).toHaveLength(3);
  });

  const russian = '# Неделя 1\n\n- Что такое замыкание?\n\n- Что такое промис?\n\n- Что такое всплытие?\n';
  const scripts = [
    russian,
    '- Τι είναι ένα κλείσιμο;\n\n- Τι είναι μια υπόσχεση;\n',
    '- 什么是闭包？\n\n- 什么是承诺？\n',
    '- 🐍❓\n\n- 🦀❓\n\n- 🐍🐍❓\n',
  ];

  it('gives questions in any script their own identities, the same at every import', async () => {
    const guild = snowflake(806);
    for (const file of scripts) {
      const first = await importQuestions(database().db, guild, file);
      const count = file.match(/^- /gm)!.length;
      expect(first.skipped).toEqual([]);
      expect(first.added).toHaveLength(count);
      expect(new Set(first.added).size).toBe(count);
      expect(first.added.every((slug) => slug.length > 0)).toBe(true);
      const again = await importQuestions(database().db, guild, file);
      expect(again).toMatchObject({ added: [], updated: [], skipped: [], unchanged: first.added });
    }
    expect((await own(guild)).map((q) => q.slug)).toContain('что-такое-замыкание');
    expect((await own(guild)).find((q) => q.slug === 'что-такое-замыкание')?.topic).toBe('Неделя 1');
  });

  it('a later file in the same script adds its questions and never overwrites earlier ones', async () => {
    const guild = snowflake(807);
    await importQuestions(database().db, guild, russian);
    const before = await own(guild);
    const later = await importQuestions(database().db, guild, '- Что такое каррирование?\n');
    expect(later.added).toHaveLength(1);
    expect(later.updated).toEqual([]);
    expect((await own(guild)).slice(0, 3)).toEqual(before);
  });

  it('questions sharing their first 64 characters get distinct, stable slugs', async () => {
    const guild = snowflake(808);
    const start = 'In a large web application with many services and a shared database, how would you';
    const file = `- ${start} test the login?\n\n- ${start} test the payments?\n`;
    const first = await importQuestions(database().db, guild, file);
    expect(first.added).toHaveLength(2);
    expect(first.added[1]).toMatch(/^in-a-large-web-application.*-[0-9a-f]{8}$/);
    expect((await importQuestions(database().db, guild, file)).unchanged).toEqual(first.added);
    // The second question imported alone collides with the first's slug in the bank: it gets the same hashed slug.
    const other = snowflake(809);
    await importQuestions(database().db, other, `- ${start} test the login?\n`);
    expect((await importQuestions(database().db, other, `- ${start} test the payments?\n`)).added).toEqual([
      first.added[1],
    ]);
  });

  it('keeps the wording of a question students answered, so their answers stay with the words they answered', async () => {
    const guild = snowflake(810);
    const file = (question: string) => withSlug('event-loop', question, 'It runs callbacks when the stack is empty.');
    await importQuestions(database().db, guild, file('What is the event loop?'));
    const question = (await own(guild)).find((q) => q.slug === 'event-loop')!;
    const prompt = await createPracticePrompt(database().db, {
      guildId: guild,
      cohortId: await cohortIdOf(database().db, guild),
      userId: snowflake(811),
      questionId: question.id,
      now: new Date(),
    });
    const saved = await recordAnswer(database().db, {
      guildId: guild,
      promptId: prompt.id,
      userId: snowflake(811),
      userName: 'Ada',
      body: 'It runs callbacks.',
      suggest: suggesting('correct'),
      now: new Date(),
    });
    expect(saved.status).toBe('saved');

    const reworded = await importQuestions(database().db, guild, file('What does the microtask queue do?'));
    expect(reworded.updated).toEqual([]);
    expect(reworded.skipped).toEqual([
      {
        question: 'What does the microtask queue do?',
        reason: expect.stringMatching(/^kept as `event-loop` was: 1 answer was given/),
      },
    ]);
    expect((await own(guild)).find((q) => q.slug === 'event-loop')?.text).toBe('What is the event loop?');
    const [exported] = await answersAfter(database().db, guild, 0, 10);
    expect(exported).toMatchObject({ questionSlug: 'event-loop', questionText: 'What is the event loop?' });

    // The same words, spelled differently (case, punctuation), are the same question: the update goes through.
    const respelled = await importQuestions(database().db, guild, file('What is the Event Loop ?'));
    expect(respelled.updated).toEqual(['event-loop']);
  });

  it('reports the questions that came without a reference answer or a rubric', async () => {
    const guild = snowflake(812);
    const report = await importQuestions(database().db, guild, closures);
    expect(report.incomplete).toEqual([
      { slug: 'closure', missing: ['rubric'] },
      { slug: 'what-is-hoisting', missing: ['reference answer', 'rubric'] },
      { slug: 'what-does-this-refer-to', missing: ['reference answer', 'rubric'] },
    ]);
  });
});
