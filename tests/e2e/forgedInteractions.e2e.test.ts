import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, cohorts, grades, pointsLedger, prompts, questions } from '../../src/db/schema.ts';
import type { Actor, FakeMessage, InteractionResult } from '../fake-discord/index.ts';
import { customIdOf, startCohorts, type Cohort, type CohortsWorld } from '../support/cohorts.ts';
import { textOf } from './world.ts';

const exercise = (topic: string, question: string) => ({
  filename: `${topic.toLowerCase().replace(/\W+/g, '-')}.md`,
  content: `### ${topic}\n\nAnswer the following questions below:\n\n- ${question}\n`,
  contentType: 'text/markdown',
});

/** The prompt id in a question message's Answer button (`quiz:answer:<prompt id>`). */
function promptIdOf(message: FakeMessage | undefined): string {
  return customIdOf(message, 'Answer').split(':')[2]!;
}

/** The answer id in a review card's buttons (`review:grade:<answer id>:...`). */
function answerIdOf(card: FakeMessage | undefined): string {
  return customIdOf(card, 'Correct').split(':')[2]!;
}

/** What a refusal must look like: a message only the clicker sees, in time, saying what is wrong. */
function expectRefused(result: InteractionResult, pattern: RegExp, label: string): void {
  const message = result.kind === 'deferredUpdate' || result.kind === 'update' ? result.followUps[0] : result.message;
  expect(textOf(message), label).toMatch(pattern);
  expect(message?.ephemeral, `${label}: ephemeral`).toBe(true);
  expect(result.latencyMs, `${label}: answered within Discord's 3 s`).toBeLessThan(3000);
}

describe('forged and out-of-range interactions are refused and change nothing', () => {
  let world: CohortsWorld;
  let a: Cohort;
  let b: Cohort;
  // Guild B's things, whose ids guild A's members try to use.
  const bravo = { dailyPromptId: '', practicePromptId: '', answerIds: [] as string[], importedQuestionId: '' };
  // Guild A's own things.
  const alpha = {
    dailyPromptId: '',
    post: undefined as FakeMessage | undefined,
    gradedAnswerId: '',
    ungradedAnswerId: '',
    card: undefined as FakeMessage | undefined,
    retiringQuiz: undefined as FakeMessage | undefined,
  };
  let refusals = 0;

  async function answer(student: Actor, message: FakeMessage, text: string): Promise<void> {
    await student.click(message, 'Answer');
    expect(textOf((await student.submitModal(text)).message)).toMatch(/is saved/);
  }

  beforeAll(async () => {
    world = await startCohorts({ guilds: 2 });
    [a, b] = world.cohorts as [Cohort, Cohort];

    // Guild B: a daily question with two answers, a practice answer, and an imported question of its own.
    await b.instructor.run('setup daily', { channel: { id: b.channelId }, time: '09:00', timezone: 'Europe/Berlin' });
    await b.instructor.run('daily post');
    const bPost = world.fake.lastChannelMessage(b.channelId)!;
    bravo.dailyPromptId = promptIdOf(bPost);
    await answer(b.students[0]!, bPost, 'BRAVO daily one');
    await answer(b.students[1]!, bPost, 'BRAVO daily two');
    const bQuiz = await b.students[2]!.run('quiz', { topic: 'JWT' });
    await answer(b.students[2]!, bQuiz.message!, 'BRAVO practice');
    await b.instructor.run('questions import', { file: exercise('Bravo Secrets', 'What is the bravo handshake?') });
    const bImportedQuiz = await b.students[0]!.run('quiz', { topic: 'Bravo Secrets' });
    bravo.practicePromptId = promptIdOf(bImportedQuiz.message);
    const choices = await b.instructor.autocomplete('review', { question: 'bravo handshake' }, 'question');
    bravo.importedQuestionId = String(choices[0]!.value);
    let card = (await b.instructor.run('review')).message!;
    for (let n = 0; n < 3; n += 1) {
      bravo.answerIds.push(answerIdOf(card));
      card = (await b.instructor.click(card, 'Skip')).message!;
    }

    // Guild A: a daily question with two answers, one graded; an imported question a student was given.
    await a.instructor.run('setup daily', { channel: { id: a.channelId }, time: '09:00', timezone: 'Europe/Berlin' });
    await a.instructor.run('daily post');
    alpha.post = world.fake.lastChannelMessage(a.channelId)!;
    alpha.dailyPromptId = promptIdOf(alpha.post);
    await answer(a.students[0]!, alpha.post, 'ALPHA daily one');
    await answer(a.students[1]!, alpha.post, 'ALPHA daily two');
    const first = (await a.instructor.run('review')).message!;
    alpha.gradedAnswerId = answerIdOf(first);
    alpha.card = (await a.instructor.click(first, 'Correct')).message!;
    alpha.ungradedAnswerId = answerIdOf(alpha.card);
    await a.instructor.run('questions import', { file: exercise('Alpha Retiring', 'What is the alpha handshake?') });
    alpha.retiringQuiz = (await a.students[2]!.run('quiz', { topic: 'Alpha Retiring' })).message!;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('garbage custom ids on buttons and modals get "not valid", in time', async () => {
    const since = world.checkpoint();
    const buttons = [
      '',
      ' ',
      'x',
      ':',
      '::',
      'quiz',
      'quiz:',
      ':answer:1',
      'quiz:answer',
      'quiz:answer:0',
      'quiz:answer:-1',
      'quiz:answer:01',
      'quiz:answer:1.5',
      'quiz:answer:1e3',
      'quiz:answer:99999999999',
      'quiz:answer:2147483648',
      'quiz:nope:1',
      'nope:answer:1',
      'review:grade',
      'review:grade:1',
      `review:grade:${alpha.ungradedAnswerId}:excellent:0:0:all`,
      `review:grade:${alpha.ungradedAnswerId}:correct:0:0:everything`,
      `review:grade:${alpha.ungradedAnswerId}:correct:0:12345:all`,
      'review:grade:abc:correct:0:0:all',
      "review:grade:1' OR '1'='1:correct:0:0:all",
      `review:star:${alpha.ungradedAnswerId}`,
      `review:regrade:${alpha.gradedAnswerId}:superb`,
      'a'.repeat(101),
      `review:${'x'.repeat(95)}`,
      'ｑｕｉｚ:answer:1',
      'quiz:answer:1\u0000',
      'setup:daily:1',
      'daily:post',
      'quiz:submit:1',
      '../../etc/passwd',
      '<@everyone>:answer:1',
    ];
    for (const id of buttons) {
      expectRefused(
        await a.instructor.forgeComponentInteraction(null, id),
        /not valid/,
        `button ${JSON.stringify(id)}`,
      );
      refusals += 1;
    }
    const modals: [string, Record<string, string>][] = [
      ['', { answer: 'x' }],
      ['quiz:submit', { answer: 'x' }],
      ['quiz:submit:0', { answer: 'x' }],
      ['quiz:submit:abc', { answer: 'x' }],
      ['quiz:submit:99999999999', { answer: 'x' }],
      ['quiz:submit:2147483647', { answer: 'x' }],
      [`quiz:submit:${alpha.dailyPromptId}`, { wrong_field: 'x' }],
      [`quiz:submit:${alpha.dailyPromptId}`, {}],
      [`quiz:answer:${alpha.dailyPromptId}`, { answer: 'x' }],
      ['review:feedback:abc:0:0:all', { feedback: 'x' }],
      [`review:feedback:${alpha.ungradedAnswerId}:0:0:nothing`, { feedback: 'x' }],
      ['review:grade:1:correct:0:0:all', { feedback: 'x' }],
    ];
    for (const [id, values] of modals) {
      expectRefused(
        await a.instructor.forgeModalSubmit(id, values),
        /not valid/,
        `modal ${JSON.stringify(id)} ${JSON.stringify(values)}`,
      );
      refusals += 1;
    }
    world.expectHealthy({ since });
  });

  it('custom ids naming built-in object properties (__proto__, constructor, toString) get "not valid", not a crash', async () => {
    const since = world.checkpoint();
    for (const id of [
      'review:__proto__:1',
      'review:constructor:1',
      'review:toString:1',
      'quiz:hasOwnProperty:1',
      'quiz:valueOf',
    ]) {
      expectRefused(await a.instructor.forgeComponentInteraction(null, id), /not valid/, `button ${id}`);
      expectRefused(await a.instructor.forgeModalSubmit(id, { answer: 'x' }), /not valid/, `modal ${id}`);
      refusals += 2;
    }
    world.expectHealthy({ since });
  });

  it('a feedback form forged without its text field gets "not valid", not a crash', async () => {
    const since = world.checkpoint();
    const missing = await a.instructor.forgeModalSubmit(`review:feedback:${alpha.ungradedAnswerId}:0:0:all:0`, {
      answer: 'the wrong field',
    });
    expectRefused(missing, /not valid/, 'feedback form without its field');
    refusals += 1;
    world.expectHealthy({ since });
  });

  it('select menus forged with any custom id get "not valid", in time', async () => {
    const since = world.checkpoint();
    for (const id of [
      `quiz:answer:${bravo.dailyPromptId}`,
      `review:grade:${alpha.ungradedAnswerId}:correct:0:0:all:0:1`,
      'garbage',
    ]) {
      const select = await a.instructor.forgeComponentInteraction(null, id, { componentType: 3, values: ['1'] });
      expectRefused(select, /not valid/, `select menu ${id}`);
      refusals += 1;
    }
    world.expectHealthy({ since });
  });

  it("another guild's prompts and answers, forged from guild A, are refused as not valid", async () => {
    const since = world.checkpoint();
    const [student] = a.students;
    const forgedByInstructor = [
      `review:grade:${bravo.answerIds[0]}:correct:0:0:all:0:1`,
      `review:grade:${bravo.answerIds[1]}:incorrect:0:0:daily:0:1`,
      `review:regrade:${bravo.answerIds[0]}:partial`,
      `review:star:${bravo.answerIds[0]}:0:0:all:0`,
      `review:star:${bravo.answerIds[2]}:0:0:practice:0`,
    ];
    for (const id of forgedByInstructor) {
      expectRefused(await a.instructor.forgeComponentInteraction(alpha.card!, id), /not valid/, id);
      refusals += 1;
    }
    for (const answerId of bravo.answerIds) {
      const feedback = await a.instructor.forgeModalSubmit(
        `review:feedback:${answerId}:0:0:all:0`,
        { feedback: 'Leaked into guild B?' },
        { message: alpha.card! },
      );
      expectRefused(feedback, /not valid/, `feedback on B's answer ${answerId}`);
      refusals += 1;
    }
    for (const promptId of [bravo.dailyPromptId, bravo.practicePromptId]) {
      const submitted = await student!.forgeModalSubmit(`quiz:submit:${promptId}`, {
        answer: 'An answer smuggled into guild B',
      });
      expectRefused(submitted, /not valid/, `answer to B's prompt ${promptId}`);
      expect(textOf(submitted.message)).not.toMatch(/someone else|closed|retired|already/);
      refusals += 1;
    }
    const unknownQuestion = await a.instructor.run('review', { question: bravo.importedQuestionId });
    expectRefused(unknownQuestion, /Unknown question/, "/review question: B's imported question");
    refusals += 1;

    // Guild B sees its queue as it was: three ungraded answers, none starred, no feedback.
    const queue = await b.instructor.run('review');
    expect(textOf(queue.message)).toMatch(/Review · 3 left/);
    expect(textOf(queue.message)).not.toMatch(/starred|Feedback \(sent/);
    world.expectHealthy({ since });
  });

  it('an answer already graded: another grade click says who graded it and changes nothing', async () => {
    const since = world.checkpoint();
    const second = a.guild.addInstructor('Second instructor');
    for (const grade of ['partial', 'incorrect', 'correct']) {
      const click = await second.forgeComponentInteraction(
        alpha.card!,
        `review:grade:${alpha.gradedAnswerId}:${grade}:0:0:all:0:1`,
      );
      await click.waitForFollowUps(1, 5000);
      expect(textOf(click.followUps[0])).toMatch(
        new RegExp(`already graded \\*\\*Correct\\*\\* by <@${a.instructor.id}>`),
      );
      expect(click.followUps[0]!.ephemeral).toBe(true);
      refusals += 1;
    }
    const me = await a.students[0]!.run('me');
    expect(textOf(me.message).replace(/\*\*/g, '')).toMatch(/4 this week · 4 all time/);
    world.expectHealthy({ since });
  });

  it('a student clicking or forging any review button or feedback form is refused', async () => {
    const since = world.checkpoint();
    const student = a.students[1]!;
    const ids = [
      `review:grade:${alpha.ungradedAnswerId}:correct:0:0:all:0:1`,
      `review:grade:${alpha.gradedAnswerId}:incorrect:0:0:all:0:1`,
      `review:regrade:${alpha.gradedAnswerId}:incorrect`,
      `review:skip:${alpha.ungradedAnswerId}:0:0:all:0`,
      `review:star:${alpha.ungradedAnswerId}:0:0:all:0`,
      `review:feedback:${alpha.ungradedAnswerId}:0:0:all:0`,
      'review:bulk:1:0:0:all:0',
      'review:bulkok:1:0:0:all:0',
      'review:bulkno:1:0:0:all:0',
    ];
    for (const id of ids) {
      expectRefused(await student.forgeComponentInteraction(null, id), /Only instructors/, `student clicks ${id}`);
      refusals += 1;
    }
    const feedback = await student.forgeModalSubmit(`review:feedback:${alpha.ungradedAnswerId}:0:0:all:0`, {
      feedback: 'I grade myself: excellent',
    });
    expectRefused(feedback, /Only instructors/, 'student submits feedback');
    refusals += 1;
    for (const command of ['review', 'daily close', 'export', 'stats', 'setup pause', 'questions list']) {
      const refused = await student.run(command, {}, { ignoreDefaultMemberPermissions: true });
      expectRefused(refused, /Only instructors/, `student runs /${command}`);
      refusals += 1;
    }
    expect(textOf((await a.instructor.run('review')).message)).toMatch(/Review · 1 left/);
    world.expectHealthy({ since });
  });

  it('an answer to a closed daily question is refused, even through its disabled button', async () => {
    const since = world.checkpoint();
    expect(textOf((await a.instructor.run('daily close')).message)).toMatch(/Closed/);
    const late = a.students[2]!;
    const viaForm = await late.forgeModalSubmit(`quiz:submit:${alpha.dailyPromptId}`, {
      answer: 'Too late, sent anyway',
    });
    expectRefused(viaForm, /closed/, 'modal for the closed daily');
    const modal = await late.forgeComponentInteraction(
      world.fake.message(alpha.post!.id)!,
      `quiz:answer:${alpha.dailyPromptId}`,
    );
    expect(modal.kind).toBe('modal');
    expectRefused(
      await late.submitModal('Through the disabled button'),
      /closed/,
      'submit through the disabled button',
    );
    refusals += 2;
    world.expectHealthy({ since });
  });

  it('an answer to a retired question is refused', async () => {
    const since = world.checkpoint();
    await world.editDatabase(({ db }) =>
      db.update(questions).set({ active: false }).where(eq(questions.text, 'What is the alpha handshake?')),
    );
    const student = a.students[2]!;
    await student.click(alpha.retiringQuiz!, 'Answer');
    expectRefused(await student.submitModal('Answer to a retired question'), /retired/, 'retired question');
    refusals += 1;
    const topics = await student.autocomplete('quiz', { topic: 'alpha' }, 'topic');
    expect(topics).toEqual([]);
    world.expectHealthy({ since });
  });

  it('option values autocomplete never offered get a clear ephemeral message within 3 s', async () => {
    const since = world.checkpoint();
    const channel = { id: a.channelId };
    const cases: [string, Record<string, string | number | { id: string }>, RegExp][] = [
      ['review', { question: '999999' }, /Unknown question/],
      ['review', { question: '-1' }, /Unknown question/],
      ['review', { question: "1' OR '1'='1" }, /Unknown question/],
      ['review', { question: 'x'.repeat(500) }, /Unknown question/],
      ['quiz', { topic: 'x'.repeat(100) }, /no topic "x{100}"/],
      ['quiz', { topic: '@everyone <@&1> **' }, /no topic/],
      ['quiz', { topic: 'Bravo Secrets' }, /no topic "Bravo Secrets"/],
      ['setup daily', { channel, time: '09:00', timezone: 'Europe/Nowhere' }, /not a time zone/],
      ['setup daily', { channel, time: '09:00', timezone: '../../../etc/localtime' }, /not a time zone/],
      ['setup daily', { channel, time: '09:00', timezone: "UTC'; drop table guild_settings; --" }, /not a time zone/],
      ['setup daily', { channel, time: '09:00', timezone: 'x'.repeat(64) }, /not a time zone/],
      ['setup daily', { channel, time: '24:00', timezone: 'Europe/Berlin' }, /HH:MM/],
      ['setup daily', { channel, time: '9:60', timezone: 'Europe/Berlin' }, /HH:MM/],
      ['setup daily', { channel, time: '٠٩:٠٠', timezone: 'Europe/Berlin' }, /HH:MM/],
      ['setup daily', { channel, time: '-1:00', timezone: 'Europe/Berlin' }, /HH:MM/],
    ];
    for (const [command, options, pattern] of cases) {
      expectRefused(
        await a.instructor.run(command, options),
        pattern,
        `/${command} ${JSON.stringify(options).slice(0, 120)}`,
      );
      refusals += 1;
    }
    // Discord itself enforces the declared limits, so longer values never reach the bot.
    const quizTopic = (
      world.fake.registeredCommands().find((command) => command.name === 'quiz')!.options as { max_length?: number }[]
    )[0]!;
    expect(quizTopic.max_length).toBe(100);
    await expect(a.instructor.run('quiz', { topic: 'x'.repeat(500) })).rejects.toThrow(/must be 0 to 100 characters/);
    const show = await a.instructor.run('setup show');
    expect(textOf(show.message)).toContain('09:00 Europe/Berlin');
    world.expectHealthy({ since });
  });

  it('after all of it, the database holds exactly what the legitimate actions stored', async () => {
    process.stdout.write(`forged or bad interactions refused: ${refusals}\n`);
    const state = await world.inspectDatabase(async ({ db }) => ({
      answers: await db
        .select({
          guildId: answers.guildId,
          userId: answers.userId,
          body: answers.body,
          starred: answers.starred,
          draft: answers.feedbackDraft,
        })
        .from(answers),
      grades: await db.select().from(grades),
      ledger: await db
        .select({ userId: pointsLedger.userId, reason: pointsLedger.reason, points: pointsLedger.points })
        .from(pointsLedger),
      settings: await db.select().from(cohorts),
      prompts: await db
        .select({ guildId: prompts.guildId, kind: prompts.kind, closedAt: prompts.closedAt })
        .from(prompts),
    }));
    expect(state.answers.map((row) => row.body).sort()).toEqual([
      'ALPHA daily one',
      'ALPHA daily two',
      'BRAVO daily one',
      'BRAVO daily two',
      'BRAVO practice',
    ]);
    expect(state.answers.every((row) => !row.starred && row.draft === null)).toBe(true);
    expect(state.grades).toHaveLength(1);
    expect(state.grades[0]).toMatchObject({
      answerId: Number(alpha.gradedAnswerId),
      guildId: a.guild.id,
      grade: 'correct',
      graderId: a.instructor.id,
      feedback: null,
    });
    const points = (userId: string) =>
      state.ledger.filter((row) => row.userId === userId).reduce((sum, row) => sum + row.points, 0);
    expect(state.ledger).toHaveLength(5);
    expect(
      [a.students[0]!, a.students[1]!, b.students[0]!, b.students[1]!, b.students[2]!].map((s) => points(s.id)),
    ).toEqual([4, 1, 1, 1, 0]);
    const settingsOf = (guildId: string) => state.settings.find((row) => row.guildId === guildId);
    expect(settingsOf(a.guild.id)).toMatchObject({
      channelId: a.channelId,
      postTime: '09:00',
      timeZone: 'Europe/Berlin',
      windowHours: 24,
      days: 'every',
      paused: false,
      instructorRoleId: null,
    });
    expect(settingsOf(b.guild.id)).toMatchObject({ postTime: '09:00', timeZone: 'Europe/Berlin', paused: false });
    const daily = state.prompts.filter((row) => row.kind === 'daily');
    expect(daily).toHaveLength(2);
    expect(new Map(daily.map((row) => [row.guildId, row.closedAt !== null]))).toEqual(
      new Map([
        [a.guild.id, true],
        [b.guild.id, false],
      ]),
    );
  });
});
