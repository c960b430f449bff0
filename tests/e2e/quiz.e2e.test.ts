import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers } from '../../src/db/schema.ts';
import { startWorld, textOf, type World } from './world.ts';

describe('/quiz end to end', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a student gets a practice question, answers it, and sees the reference answer and key points', async () => {
    const ada = world.students[0];
    const quiz = await ada.run('quiz', { topic: 'JWT' });
    expect(quiz.ephemeral).toBe(true);
    expect(textOf(quiz.message)).toMatch(/Practice question[\s\S]*Topic[\s\S]*JWT/);
    const modal = await ada.click(quiz.message!, 'Answer');
    expect(modal.kind).toBe('modal');
    expect(modal.modal!.title.length).toBeLessThanOrEqual(45);
    const saved = await ada.submitModal(
      'A JWT is a signed token that carries claims as JSON, used for authentication.',
    );
    expect(saved.ephemeral).toBe(true);
    const receipt = textOf(saved.message);
    expect(receipt).toContain('Saved');
    expect(receipt).toContain('Reference answer');
    expect(receipt).toMatch(/Key points you covered[\s\S]*✓/);
    expect(receipt).toMatch(/\+2 points/);

    await ada.click(quiz.message!, 'Answer');
    const again = await ada.submitModal('A different second answer');
    expect(textOf(again.message)).toMatch(/already received/);
    world.expectHealthy();
  });

  it('the topic option autocompletes from the bank, and an unknown topic lists the topics', async () => {
    const linus = world.students[1];
    const choices = await linus.autocomplete('quiz', { topic: 'jw' }, 'topic');
    expect(choices.map((choice) => choice.value)).toEqual(['JWT']);
    const all = await linus.autocomplete('quiz', { topic: '' }, 'topic');
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.length).toBeLessThanOrEqual(25);
    const unknown = await linus.run('quiz', { topic: 'Astrology' });
    expect(unknown.ephemeral).toBe(true);
    expect(textOf(unknown.message)).toMatch(/no topic "Astrology"[\s\S]*JWT, /);
  });

  it('whitespace-only answers are refused and nothing is stored', async () => {
    const margaret = world.students[2];
    const quiz = await margaret.run('quiz');
    await margaret.click(quiz.message!, 'Answer');
    const blank = await margaret.submitModal('   \n\t ');
    expect(textOf(blank.message)).toMatch(/empty/);
  });

  it('a practice question given to one student cannot be answered by another', async () => {
    const [ada, linus] = world.students;
    const quiz = await ada.run('quiz');
    const promptButton = (quiz.message!.components[0] as { components: { custom_id: string }[] }).components[0]!
      .custom_id;
    const promptId = promptButton.split(':')[2]!;
    const forged = await linus.forgeModalSubmit(`quiz:submit:${promptId}`, { answer: 'stolen' });
    expect(textOf(forged.message)).toMatch(/given to someone else/);
  });

  it('hostile text round-trips unchanged, pings nobody and stays within limits', async () => {
    const linus = world.students[1];
    const role = world.guild.createRole('Cohort 7');
    const hostile = `@everyone @here <@&${role.id}> <@${world.instructor.id}> **bold** \`\`\`js\nx\n\`\`\` \u200b\u202eRTL مرحبا 🎉 '; drop table answers; --`;
    const body = hostile + 'x'.repeat(4000 - hostile.length);
    expect(body.length).toBe(4000);
    const quiz = await linus.run('quiz');
    await linus.click(quiz.message!, 'Answer');
    const saved = await linus.submitModal(body);
    expect(textOf(saved.message)).toContain('Saved');
    expect(world.fake.messagePayloads.length).toBeGreaterThan(3);
    expect(world.fake.messagePayloads.every((record) => record.allowedMentions?.parse?.length === 0)).toBe(true);
    world.expectHealthy();
    const stored = await world.inspectDatabase((database) =>
      database.db.select({ body: answers.body }).from(answers).where(eq(answers.userId, linus.id)),
    );
    expect(stored.map((row) => row.body)).toContain(body);
  });
});
