import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { grades } from '../../src/db/schema.ts';
import type { Actor } from '../fake-discord/index.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';
import { buttonCustomId, buttonLabels, describeWorldOnEachEngine, postDailyQuestion, textOf } from './world.ts';

const gradeNotices = (student: Actor) =>
  student.dms().filter((message) => textOf(message).includes('Your answer was graded'));
const decisions = (student: Actor) => student.dms().filter((message) => textOf(message).includes('Regrade request:'));

describeWorldOnEachEngine('asking for a regrade, end to end', (get) => {
  it('from the grade DM or /me, to the /review queue, to the decision by DM or in /me; refusals for others, twice and late', async () => {
    const { world, withBotStopped } = get();
    const { fake, instructor } = world;
    const [ada, linus, margaret] = world.students;
    const post = await postDailyQuestion(world);
    for (const [student, body] of [
      [ada, 'A signed token with claims.'],
      [linus, 'A token.'],
      [margaret, 'A JSON web token.'],
    ] as const) {
      await student.click(post, 'Answer');
      await student.submitModal(body);
    }
    fake.closeDms(linus);
    let card = (await instructor.run('review')).message!;
    for (const grade of ['Correct', 'Partial', 'Incorrect']) card = (await instructor.click(card, grade)).message!;
    await fake.waitFor(
      () => gradeNotices(ada).length === 1 && gradeNotices(margaret).length === 1,
      CONDITION_TIMEOUT_MS,
      'grade DMs',
    );

    // Ada asks from the grade's direct message.
    const notice = gradeNotices(ada)[0]!;
    expect(buttonLabels(notice)).toEqual(['Ask for a regrade']);
    const form = await ada.clickInDms(notice, 'Ask for a regrade');
    expect(form.kind).toBe('modal');
    const asked = await ada.submitModal('I explained the signature, which the rubric asks for.');
    expect(asked.ephemeral).toBe(true);
    expect(textOf(asked.message)).toMatch(/regrade request .* is with the instructors/);
    // A second request while the first is open is refused, from the DM and from /me (which offers no button).
    expect(textOf((await ada.clickInDms(notice, 'Ask for a regrade')).message)).toMatch(/already asked/);
    expect(buttonLabels((await ada.run('me')).message)).not.toContain('Ask for a regrade (1)');

    // Linus (DMs closed) asks from /me; he forges Ada's button and form first: refused.
    const adaRegrade = buttonCustomId(notice, 'Ask for a regrade');
    const me = (await linus.run('me')).message!;
    expect(textOf(me)).toMatch(/Ask for a regrade\n\*\*1\.\*\* Partial/);
    expect(textOf((await linus.forgeComponentInteraction(me, adaRegrade)).message)).toMatch(/not your answer/);
    const forgedForm = await linus.forgeModalSubmit(adaRegrade.replace('regrade', 'regradewhy'), { reason: 'Forged.' });
    expect(textOf(forgedForm.message)).toMatch(/not your answer/);
    // The reason: 1 to 1000 characters, no NUL (a forged form skips Discord's own checks).
    const linusForm = buttonCustomId(me, 'Ask for a regrade (1)').replace('regrade', 'regradewhy');
    expect(textOf((await linus.forgeModalSubmit(linusForm, { reason: 'x'.repeat(1001) })).message)).toMatch(
      /longer than 1000 characters/,
    );
    expect(textOf((await linus.forgeModalSubmit(linusForm, { reason: '  \n ' })).message)).toMatch(/reason is empty/);
    expect(textOf((await linus.forgeModalSubmit(linusForm, { reason: 'a\u0000b' })).message)).toMatch(/NUL character/);
    await linus.click(me, 'Ask for a regrade (1)');
    expect(textOf((await linus.submitModal('I said it is a token, which is the key point.')).message)).toMatch(
      /with the instructors/,
    );

    // The requests are in /review, marked, with their reasons; the regrade filter shows only them.
    const regrades = (await instructor.run('review', { kind: 'regrade' })).message!;
    expect(textOf(regrades)).toMatch(
      /Regrade request · 2 left[\s\S]*A signed token[\s\S]*graded Correct[\s\S]*I explained the signature/,
    );
    expect(buttonLabels(regrades)).toEqual(expect.arrayContaining(['Keep Correct', 'Partial', 'Incorrect', 'Comment']));
    expect(textOf((await instructor.run('review')).message)).toMatch(/Regrade request · 2 left/);
    await instructor.click(regrades, 'Comment');
    const commented = (await instructor.submitModal('The signature part is right, but claims are missing.')).message!;
    expect(textOf(commented)).toMatch(/Comment saved[\s\S]*Comment \(sent with the decision\)/);
    const next = (await instructor.click(commented, 'Keep Correct')).message!;
    expect(textOf(next)).toMatch(/kept \*\*Correct\*\*[\s\S]*Regrade request · 1 left[\s\S]*I said it is a token/);
    // In direct messages the bot takes only the regrade button and its form: a forged review button there is refused.
    const forgedInDms = await ada.forgeComponentInteraction(null, buttonCustomId(next, 'Correct'), { inDms: true });
    expect(textOf(forgedInDms.message)).toMatch(/works in servers only/);
    const done = (await instructor.click(next, 'Correct')).message!;
    expect(textOf(done)).toMatch(/changed from Partial to \*\*Correct\*\* \(\+2 points\)[\s\S]*Nothing left/);

    // Decisions: Ada by direct message with the comment; Linus (closed DMs) in /me, once.
    await fake.waitFor(() => decisions(ada).length === 1, CONDITION_TIMEOUT_MS, 'the decision DM');
    expect(textOf(decisions(ada)[0])).toMatch(/the grade stays Correct[\s\S]*unchanged[\s\S]*signature part is right/);
    const linusMe = textOf((await linus.run('me')).message);
    expect(linusMe).toMatch(/Regrade decisions\n.*changed from Partial to \*\*Correct\*\*/);
    expect(linusMe).toMatch(/\*\*4\*\* all time/);
    expect(textOf((await linus.run('me')).message)).not.toMatch(/Regrade decisions/);
    expect(textOf((await ada.run('me')).message)).toMatch(/\*\*4\*\* all time/);
    // A decided grade takes no second request.
    expect(textOf((await ada.clickInDms(notice, 'Ask for a regrade')).message)).toMatch(/already decided/);

    // More than 7 days after the grade, Margaret's request is refused.
    await withBotStopped((db) =>
      db
        .update(grades)
        .set({ gradedAt: sql`now() - interval '7 days 1 minute'` })
        .where(eq(grades.graderId, instructor.id)),
    );
    expect(textOf((await margaret.clickInDms(gradeNotices(margaret)[0]!, 'Ask for a regrade')).message)).toMatch(
      /up to 7 days after the grade/,
    );
    const late = await margaret.forgeModalSubmit(
      buttonCustomId(gradeNotices(margaret)[0], 'Ask for a regrade').replace('regrade', 'regradewhy'),
      { reason: 'Late.' },
    );
    expect(textOf(late.message)).toMatch(/up to 7 days/);
    expect(textOf((await instructor.run('review')).message)).toMatch(/Nothing left/);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });

  it("a 'Change to' button answers the student's open regrade request: decided, told, out of the queue", async () => {
    const { world } = get();
    const { fake, instructor } = world;
    const alan = world.guild.addStudent('Alan');
    const post = await postDailyQuestion(world);
    await alan.click(post, 'Answer');
    await alan.submitModal('A token with claims, signed.');
    const card = (await instructor.run('review')).message!;
    const correct = buttonCustomId(card, 'Correct');
    await instructor.click(card, 'Correct');
    // The same button clicked again (a double click, or a second instructor's older card): already graded, with
    // buttons to change it.
    const again = await instructor.forgeComponentInteraction(card, correct);
    const [already] = await again.waitForFollowUps(1, CONDITION_TIMEOUT_MS);
    expect(textOf(already)).toMatch(/already graded \*\*Correct\*\*/);
    expect(buttonLabels(already)).toEqual(['Change to Partial', 'Change to Incorrect']);

    await fake.waitFor(() => gradeNotices(alan).length === 1, CONDITION_TIMEOUT_MS, "Alan's grade DM");
    await alan.clickInDms(gradeNotices(alan)[0]!, 'Ask for a regrade');
    expect(textOf((await alan.submitModal('Is it not Correct?')).message)).toMatch(/with the instructors/);

    const changed = await instructor.click(already!, 'Change to Partial');
    expect(textOf(changed.message)).toMatch(/Regrade request of <@\d+>: changed from Correct to \*\*Partial\*\*/);
    await fake.waitFor(() => decisions(alan).length === 1, CONDITION_TIMEOUT_MS, "Alan's decision DM");
    expect(textOf(decisions(alan)[0])).toMatch(/Partial/);
    expect(textOf((await instructor.run('review', { kind: 'regrade' })).message)).toMatch(/Nothing left/);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });
});
