import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import type { Actor, FakeMessage } from '../fake-discord/index.ts';
import { startWorld, textOf, type World } from './world.ts';

function customIdOf(message: FakeMessage, label: string): string {
  const rows = message.components as { components: { label?: string; custom_id: string }[] }[];
  const button = rows.flatMap((row) => row.components).find((component) => component.label?.startsWith(label));
  if (!button) throw new Error(`no button ${label}`);
  return button.custom_id;
}

/** The suggestion line of a review card: "**Correct** (confident, learned from 3 graded answers)". */
function suggestionLine(message: FakeMessage | undefined): string {
  return /Suggested grade[^\n]*\n([^\n]*)/.exec(textOf(message))?.[1] ?? '';
}

describe('suggestions that learn from instructors, and bulk acceptance, end to end', () => {
  let world: World;
  let students: Actor[];
  beforeAll(async () => {
    world = await startWorld();
    students = [...world.students, world.guild.addStudent('Grace H'), world.guild.addStudent('Alan')];
  });
  afterAll(async () => {
    await world?.close();
  });

  async function answer(student: Actor, topic: string, text: string): Promise<void> {
    const quiz = await student.run('quiz', { topic });
    await student.click(quiz.message!, 'Answer');
    const saved = await student.submitModal(text);
    expect(textOf(saved.message)).toContain('Saved');
  }

  it("the fourth answer's card follows the three grades given before it, where the rubric alone says otherwise", async () => {
    // The rubric wants "merged often" and "built and tested automatically": these state only the first.
    const texts = [
      'Developers merge their changes into the main branch many times a day.',
      'Continuous integration: everyone merges changes into the main branch often, several times a day.',
      'Merging changes into the main branch a few times a day.',
      'Developers merge their changes into the main branch several times a day.',
    ];
    for (const [index, text] of texts.entries()) await answer(students[index]!, 'CI', text);
    let card = (await world.instructor.run('review', { question: 'continuous-integration' })).message!;
    // Partial before any grade here (a partial suggestion is never confident).
    expect(suggestionLine(card)).toMatch(/^\*\*Partial\*\* \(not sure\)$/);
    for (let graded = 0; graded < 3; graded += 1) card = (await world.instructor.click(card, 'Correct')).message!;
    expect(textOf(card)).toContain(texts[3]);
    expect(suggestionLine(card)).toMatch(/^\*\*Correct\*\* \(not sure, learned from 3 graded answers\)$/);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });

  it('bulk acceptance grades exactly the confident answers it showed, once; students and forged ids are refused', async () => {
    const confident = [
      'Writing tests before code. Benefit: fewer bugs. Drawback: slower at first.',
      'You write a failing test first, then the code. Pros: fewer bugs and a cleaner design. Cons: it takes longer.',
      'Writing the tests before the code. Benefit: fewer bugs. Drawback: slower at first.',
    ];
    const unsure = 'Test driven development. It takes more time but has fewer bugs.';
    for (const [index, text] of confident.entries()) await answer(students[index]!, 'TDD', text);
    await answer(students[3]!, 'TDD', unsure);

    const card = (await world.instructor.run('review', { question: 'tdd' })).message!;
    const offerId = customIdOf(card, 'Accept confident');
    const offer = await world.instructor.click(card, 'Accept confident suggestions…');
    expect(textOf(offer.message)).toMatch(/Accept 3 confident suggestions\?[\s\S]*3 Correct/);
    expect(textOf(offer.message)).toContain(confident[0]);
    expect(textOf(offer.message)).not.toContain(unsure);
    const confirmId = customIdOf(offer.message!, 'Grade these 3');

    // A student clicking the confirm button, or the offer button, is refused and nothing changes.
    for (const id of [confirmId, offerId]) {
      const forged = await students[4]!.forgeComponentInteraction(offer.message!, id);
      expect(textOf(forged.message)).toMatch(/Only instructors/);
    }
    // A second instructor's own offer for the same answers, and a forged offer id.
    const colleague = world.guild.addInstructor('Barbara (instructor)');
    const theirCard = (await colleague.run('review', { question: 'tdd' })).message!;
    const theirOffer = await colleague.click(theirCard, 'Accept confident suggestions…');
    const forgedId = confirmId.replace(/^review:bulkok:\d+:/, 'review:bulkok:999999:');
    expect(textOf((await world.instructor.forgeComponentInteraction(null, forgedId)).message)).toMatch(/not valid/);
    // The colleague cannot confirm the offer shown to someone else.
    expect(textOf((await colleague.forgeComponentInteraction(null, confirmId)).message)).toMatch(/not valid/);

    const accepted = await world.instructor.click(offer.message!, 'Grade these 3');
    expect(textOf(accepted.message)).toMatch(/✓ Accepted 3 suggested grades\.[\s\S]*Review · 1 left/);
    expect(textOf(accepted.message)).toContain(unsure);
    const doubleClick = await world.instructor.forgeComponentInteraction(offer.message!, confirmId);
    expect(textOf(doubleClick.message)).toMatch(/already accepted\. Nothing changed/);
    const late = await colleague.click(theirOffer.message!, 'Grade these 3');
    expect(textOf(late.message)).toMatch(/Accepted 0 suggested grades\. 3 had been graded by someone else meanwhile/);

    for (const student of students.slice(0, 3)) {
      const dm = await world.fake.waitFor(
        () =>
          student.dms().find((message) => /graded: Correct/.test(textOf(message)) && /TDD|test/i.test(textOf(message))),
        5000,
        'the grade DM',
      );
      expect(textOf(dm)).toMatch(/Points for this answer/);
    }
    world.expectHealthy({ allowErrorCodes: [50007] });

    const stored = await world.inspectDatabase(({ db }) =>
      queryRows<{ grader_id: string; grade: string; body: string; points: number }>(
        db,
        sql`
        select g.grader_id, g.grade, a.body, (select coalesce(sum(l.points), 0)::int from points_ledger l where l.answer_id = a.id) as points
        from grades g join answers a on a.id = g.answer_id join questions q on q.id = a.question_id
        where q.slug = 'tdd' order by a.id`,
      ),
    );
    expect(stored.map((row) => row.body)).toEqual(confident);
    expect(stored.every((row) => row.grader_id === world.instructor.id && row.grade === 'correct')).toBe(true);
    // A practice answer's first correct grade is worth 2 points, once.
    expect(stored.map((row) => row.points)).toEqual([2, 2, 2]);
  });
});
