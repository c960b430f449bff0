import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fake-discord/index.ts';
import { buttonLabels, startWorld, textOf, type World } from './world.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

function customIdOf(message: FakeMessage, label: string): string {
  const rows = message.components as { components: { label?: string; custom_id: string }[] }[];
  const button = rows.flatMap((row) => row.components).find((component) => component.label === label);
  if (!button) throw new Error(`no button ${label}`);
  return button.custom_id;
}

describe('/review end to end', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  async function practiceAnswer(studentIndex: number, text: string): Promise<void> {
    const student = world.students[studentIndex]!;
    const quiz = await student.run('quiz', { topic: 'JWT' });
    await student.click(quiz.message!, 'Answer');
    const saved = await student.submitModal(text);
    expect(textOf(saved.message)).toContain('Saved');
  }

  it('an instructor grades with a suggestion, the student gets a DM, and a second click changes nothing', async () => {
    await practiceAnswer(0, 'A JWT is a signed token carrying claims as JSON, used for authentication.');
    const queue = await world.instructor.run('review');
    expect(queue.ephemeral).toBe(true);
    const card = textOf(queue.message);
    expect(card).toMatch(/Review · 1 left/);
    expect(card).toContain('signed token carrying claims');
    expect(card).toMatch(/Suggested grade[\s\S]*Correct[\s\S]*✓/);
    expect(card).toContain(`<@${world.students[0].id}>`);
    expect(buttonLabels(queue.message)).toEqual([
      'Correct',
      'Partial',
      'Incorrect',
      'Skip',
      'Feedback',
      'Star: show publicly in the reveal',
      'Accept confident suggestions…',
    ]);
    const partialId = customIdOf(queue.message!, 'Partial');

    const graded = await world.instructor.click(queue.message!, 'Correct');
    expect(graded.kind).toBe('update');
    expect(textOf(graded.message)).toMatch(/Graded[\s\S]*Correct[\s\S]*Nothing left to review/);
    const dm = await world.fake.waitFor(() => world.students[0].dms()[0], CONDITION_TIMEOUT_MS, 'the grade DM');
    expect(textOf(dm)).toMatch(/graded: Correct/);

    const secondClick = await world.instructor.forgeComponentInteraction(queue.message!, partialId);
    await secondClick.waitForFollowUps(1, 5000);
    expect(textOf(secondClick.followUps[0])).toMatch(/already graded \*\*Correct\*\* by <@\d+>/);
    world.expectHealthy();
  });

  it('a student forging a grade button is refused and nothing changes', async () => {
    await practiceAnswer(1, 'It is a token.');
    const queue = await world.instructor.run('review');
    const forged = await world.students[1].forgeComponentInteraction(
      queue.message!,
      customIdOf(queue.message!, 'Correct'),
    );
    expect(forged.ephemeral).toBe(true);
    expect(textOf(forged.message)).toMatch(/Only instructors/);
    const stillThere = await world.instructor.run('review');
    expect(textOf(stillThere.message)).toMatch(/1 left/);
    for (const id of ['garbage!!', 'review:nope:1', 'zzz:answer:1', '']) {
      const garbage = await world.students[1].forgeComponentInteraction(null, id);
      expect(textOf(garbage.message)).toMatch(/not valid/);
    }
    const wrongArgs = await world.instructor.forgeComponentInteraction(null, 'review:grade:abc:correct:0:0:all');
    expect(textOf(wrongArgs.message)).toMatch(/not valid/);
    world.expectHealthy();
  });

  it('closed DMs do not lose the grade', async () => {
    world.fake.closeDms(world.students[1].id);
    const queue = await world.instructor.run('review');
    const graded = await world.instructor.click(queue.message!, 'Partial');
    expect(textOf(graded.message)).toMatch(/Graded[\s\S]*Partial/);
    await world.bot.waitForLog(/DMs closed/, CONDITION_TIMEOUT_MS);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });

  it('a member given the instructor role can review, and feedback reaches the student with the grade', async () => {
    const role = world.guild.createRole('Teaching assistants');
    const ta = world.guild.addStudent('Tom (TA)');
    ta.addRole(role);
    const before = await ta.run('review', {}, { ignoreDefaultMemberPermissions: true });
    expect(textOf(before.message)).toMatch(/Only instructors/);
    await world.instructor.run('setup instructors', { role: { id: role.id } });
    await practiceAnswer(2, 'A token.');
    const queue = await ta.run('review', {}, { ignoreDefaultMemberPermissions: true });
    expect(textOf(queue.message)).toMatch(/Review · 1 left/);
    await ta.click(queue.message!, 'Feedback');
    const drafted = await ta.submitModal('Say what the signature is for.');
    expect(textOf(drafted.message)).toMatch(/Feedback saved[\s\S]*Say what the signature is for/);
    await ta.click(drafted.message!, 'Partial');
    const dm = await world.fake.waitFor(() => world.students[2].dms()[0], CONDITION_TIMEOUT_MS, 'the grade DM');
    expect(textOf(dm)).toMatch(/graded: Partial[\s\S]*Feedback[\s\S]*Say what the signature is for/);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });

  it('reviewing 20 answers takes 20 clicks, each answered at once', async () => {
    for (let i = 0; i < 20; i += 1)
      await practiceAnswer(i % 3, `Answer ${i}: a signed token with claims, used for login.`);
    let message = (await world.instructor.run('review')).message!;
    expect(textOf(message)).toMatch(/20 left/);
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const click = await world.instructor.click(message, i % 2 === 0 ? 'Correct' : 'Partial');
      latencies.push(click.latencyMs);
      message = click.message!;
    }
    expect(textOf(message)).toMatch(/Nothing left to review/);
    latencies.sort((a, b) => a - b);
    process.stdout.write(`review clicks: p50 ${latencies[9]} ms, max ${latencies[19]} ms\n`);
    world.expectHealthy({ allowErrorCodes: [50007] });
  });
});
