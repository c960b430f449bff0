import { expect, it } from 'vitest';
import { parseCsv } from '../support/csvParse.ts';
import { buttonCustomId, buttonLabels, describeWorldOnEachEngine, postDailyQuestion, textOf } from './world.ts';

/** The value the bot filled into the modal's one text input. */
const filledValue = (raw: unknown) => JSON.stringify(raw).match(/"value":"((?:[^"\\]|\\.)*)"/)?.[1];

describeWorldOnEachEngine('editing a daily answer until the deadline, end to end', (get) => {
  it('a student edits from the receipt; instructors grade the latest version; edits after the grade or the close, and forged ones, are refused', async () => {
    const { world } = get();
    const { fake, instructor } = world;
    const [ada, linus, margaret] = world.students;
    const post = await postDailyQuestion(world);

    await ada.click(post, 'Answer');
    const receipt = (await ada.submitModal('A JWT is a token.')).message!;
    expect(textOf(receipt)).toMatch(/saved[\s\S]*\+1 point[\s\S]*Your answer\nA JWT is a token\./);
    expect(buttonLabels(receipt)).toEqual(['Edit']);

    const opened = await ada.click(receipt, 'Edit');
    expect(opened.kind).toBe('modal');
    expect(opened.modal!.title).toBe('Edit your answer');
    expect(filledValue(opened.modal!.raw)).toBe('A JWT is a token.');
    const reviseId = opened.modal!.customId;
    const edited = await ada.submitModal('A JWT is a signed token carrying claims.');
    expect(edited.kind).toBe('update');
    expect(textOf(fake.message(receipt.id))).toMatch(
      /edited answer is saved \(version 2\)[\s\S]*signed token carrying claims/,
    );
    // The same form submitted again (a double submit) stores nothing more.
    const again = await ada.forgeModalSubmit(
      reviseId,
      { answer: 'A JWT is a signed token carrying claims.' },
      { message: receipt },
    );
    expect(textOf(again.message ?? fake.message(receipt.id))).toMatch(/version 2/);
    // Clicking Answer again offers the Edit button of the stored answer, filled with the latest version.
    await ada.click(post, 'Answer');
    const second = await ada.submitModal('Another answer entirely.');
    expect(textOf(second.message)).toMatch(
      /already received[\s\S]*click \*\*Edit\*\*[\s\S]*signed token carrying claims/,
    );
    expect(filledValue((await ada.click(second.message!, 'Edit')).modal!.raw)).toBe(
      'A JWT is a signed token carrying claims.',
    );
    ada.dismissModal();

    // Linus forges Ada's Edit button and her edit form: refused, nothing changes.
    await linus.click(post, 'Answer');
    const linusReceipt = (await linus.submitModal('A cookie.')).message!;
    const adaEdit = buttonCustomId(receipt, 'Edit');
    expect(textOf((await linus.forgeComponentInteraction(linusReceipt, adaEdit)).message)).toMatch(/not your answer/);
    const forged = await linus.forgeModalSubmit(reviseId.replace(/:1$/, ':2'), { answer: 'Forged by Linus.' });
    expect(textOf(forged.message)).toMatch(/not your answer/);

    // The instructor reviews the latest version and grades it; Ada's edit is then refused.
    const queue = await instructor.run('review');
    expect(textOf(queue.message)).toMatch(/signed token carrying claims[\s\S]*edited/);
    expect(textOf(queue.message)).not.toContain('A JWT is a token.');
    // Ada edits again while the card is open: the grade is not given to a version the instructor did not see.
    await ada.click(receipt, 'Edit');
    await ada.submitModal('A JWT is a signed token carrying claims, used for authentication.');
    const stale = await instructor.click(queue.message!, 'Correct');
    expect(textOf(stale.message)).toMatch(
      /edited this answer while you had it open[\s\S]*used for authentication[\s\S]*version 3/,
    );
    expect(textOf((await instructor.click(stale.message!, 'Correct')).message)).toMatch(
      /Graded <@\d+>'s answer \*\*Correct\*\*/,
    );
    expect(textOf((await ada.click(receipt, 'Edit')).message)).toMatch(/already graded/);
    const afterGrade = await ada.forgeModalSubmit(
      reviseId.replace(/:1$/, ':2'),
      { answer: 'Changed after the grade.' },
      { message: receipt },
    );
    expect(textOf(afterGrade.message)).toMatch(/already graded/);

    // After the close, Margaret's edit is refused with the reason.
    await margaret.click(post, 'Answer');
    const margaretReceipt = (await margaret.submitModal('A JSON thing.')).message!;
    await instructor.run('daily close');
    expect(textOf((await margaret.click(margaretReceipt, 'Edit')).message)).toMatch(/has closed/);

    // Practice answers stay one per posing: their receipt has no Edit button.
    const practice = await linus.run('quiz');
    await linus.click(practice.message!, 'Answer');
    expect(buttonLabels((await linus.submitModal('Practice answer.')).message)).toEqual([]);

    // Points: 1 for answering and 3 for correct, once, whatever the edits.
    expect(textOf((await ada.run('me')).message)).toMatch(/\*\*4\*\* all time/);
    const csv = parseCsv((await instructor.run('export')).message!.attachments[0]!.text().replace(/^\uFEFF/, ''));
    const header = csv[0]!;
    const adaRow = csv.find((row) => row[3] === ada.id)!;
    const cell = (name: string) => adaRow[header.indexOf(name)];
    expect(cell('answer')).toBe('A JWT is a signed token carrying claims, used for authentication.');
    expect(cell('version')).toBe('3');
    expect(JSON.parse(cell('earlier_versions')!)).toMatchObject([
      { version: 1, submitted_at: cell('answered_at'), answer: 'A JWT is a token.' },
      { version: 2, answer: 'A JWT is a signed token carrying claims.' },
    ]);
    expect(cell('points')).toBe('4');
    expect(csv.find((row) => row[3] === linus.id && row[5] === 'daily')![header.indexOf('answer')]).toBe('A cookie.');
    world.expectHealthy();
  });
});
