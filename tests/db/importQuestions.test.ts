import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { importReportEmbed } from '../../commands/questions.ts';
import { importQuestions } from '../../src/db/repo/importQuestions.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { loadShippedBank } from '../../src/quiz/bank.ts';
import { describeEachEngine } from '../support/database.ts';
import { snowflake } from '../support/fixtures.ts';

const studentSheet = readFileSync('tests/fixtures/seeds/001_dd5155d4ae1a3602.txt', 'utf8');
const withSlug = (slug: string, question: string, reference: string) =>
  `- ${question}\n\n  <!-- slug: ${slug} | topic: Functions -->\n  Reference answer: ${reference}\n\n`;
const closures = `# Week 4\n\n${withSlug('closure', 'What is a closure?', 'A function with its scope.')}- What is hoisting?\n\n- What does \`this\` refer to?\n`;

describeEachEngine('importing questions', (database) => {
  const guildId = snowflake(801);
  beforeAll(async () => {
    await syncQuestions(database().db, null, loadShippedBank(), { retireMissing: true });
  });
  const own = async (guild: string) => (await listQuestions(database().db, guild, { activeOnly: false })).filter((q) => q.guildId === guild);

  it("skips every question of a seed sheet: they are all in the shipped bank, named by slug", async () => {
    const report = await importQuestions(database().db, guildId, studentSheet);
    expect(report.found).toBe(14);
    expect(report).toMatchObject({ added: [], updated: [], unchanged: [] });
    expect(report.skipped).toHaveLength(14);
    expect(report.skipped[0]).toEqual({ question: 'What is a JWT?', reason: 'already in the bank as jwt-what' });
    expect(await own(guildId)).toEqual([]);
  });

  it("adds new questions to the guild's own bank, where listQuestions shows them and no other guild sees them", async () => {
    const report = await importQuestions(database().db, guildId, closures);
    expect(report).toMatchObject({ added: ['closure', 'what-is-hoisting', 'what-does-this-refer-to'], updated: [], unchanged: [], skipped: [] });
    const listed = await listQuestions(database().db, guildId, { activeOnly: true });
    const closure = listed.find((q) => q.slug === 'closure');
    expect(closure).toMatchObject({ guildId, topic: 'Functions', text: 'What is a closure?', referenceAnswer: 'A function with its scope.' });
    // Without metadata: the file's title as topic, and no reference answer or rubric (so no suggested grade).
    expect(listed.find((q) => q.slug === 'what-is-hoisting')).toMatchObject({ topic: 'Week 4', referenceAnswer: null, rubric: null });
    expect(listed.at(-1)?.slug).toBe('what-does-this-refer-to');
    expect((await listQuestions(database().db, snowflake(802), { activeOnly: false })).some((q) => q.slug === 'closure')).toBe(false);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await own(guildId);
    const report = await importQuestions(database().db, guildId, closures);
    expect(report).toMatchObject({ added: [], updated: [], unchanged: ['closure', 'what-is-hoisting', 'what-does-this-refer-to'], skipped: [] });
    expect(await own(guildId)).toEqual(before);
  });

  it("updates the guild's copy when the file gives its slug, even with reworded text", async () => {
    const before = (await own(guildId)).find((q) => q.slug === 'closure')!;
    const report = await importQuestions(database().db, guildId, withSlug('closure', 'What is a JavaScript closure?', 'A function and the scope it closes over.'));
    expect(report).toMatchObject({ added: [], updated: ['closure'], skipped: [] });
    const after = (await own(guildId)).find((q) => q.slug === 'closure')!;
    expect(after).toMatchObject({ id: before.id, text: 'What is a JavaScript closure?', referenceAnswer: 'A function and the scope it closes over.' });
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
    const embed = importReportEmbed('week5.md', report).toJSON();
    expect(embed.description).toBe('1 added · 0 updated · 0 unchanged · 2 skipped');
    expect(embed.fields?.find((f) => f.name === 'Skipped')?.value).toContain('What is a monad?: the slug "Bad Slug"');
  });

  it('finds nothing in a file without questions and changes nothing', async () => {
    const guild = snowflake(804);
    const report = await importQuestions(database().db, guild, '# Notes\n\nJust some text.\n');
    expect(report).toEqual({ found: 0, added: [], updated: [], unchanged: [], skipped: [] });
    expect(await own(guild)).toEqual([]);
  });

  it('adds each question once when two instructors import the same file at once', async () => {
    const guild = snowflake(805);
    const reports = await Promise.all([importQuestions(database().db, guild, closures), importQuestions(database().db, guild, closures)]);
    expect(reports.map((r) => r.added.length).sort()).toEqual([0, 3]);
    expect(await own(guild)).toHaveLength(3);
  });
});
