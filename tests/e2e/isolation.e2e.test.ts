import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, FakeMessage } from '../fake-discord/index.ts';
import { parseCsv } from '../support/csvParse.ts';
import { joinGuild, startCohorts, type Cohort, type CohortsWorld } from '../support/cohorts.ts';
import { textOf } from './world.ts';

const ALPHA_EXERCISE = {
  filename: 'alpha.md',
  content:
    '### Alpha Only Topic\n\nAnswer the following questions below:\n\n- What is the alpha-only secret handshake?\n',
  contentType: 'text/markdown',
};

describe('two guilds on one bot and one database: nothing of guild A appears in guild B', () => {
  let world: CohortsWorld;
  let a: Cohort;
  let b: Cohort;
  /** One person in both cohorts: active in A, silent in B. */
  let dualInA: Actor;
  let dualInB: Actor;
  let alphaIds: string[];
  let bravoIds: string[];
  let alphaImportedId = '';

  async function answer(student: Actor, message: FakeMessage, text: string): Promise<void> {
    await student.click(message, 'Answer');
    expect(textOf((await student.submitModal(text)).message)).toMatch(/is saved/);
  }

  /** Fails if any text of guild A (its students, its answers, its own question, its feedback) is in `text`. */
  function expectNothingOfA(text: string, where: string): void {
    for (const id of alphaIds) expect(text, `${where}: user ${id} of guild A`).not.toContain(id);
    expect(text, `${where}: A's answers`).not.toMatch(/ALPHA-SECRET/);
    expect(text, `${where}: A's feedback`).not.toMatch(/ALPHA-FEEDBACK/);
    expect(text, `${where}: A's imported question`).not.toMatch(/alpha-only|Alpha Only/i);
  }

  beforeAll(async () => {
    world = await startCohorts({ guilds: 2 });
    [a, b] = world.cohorts as [Cohort, Cohort];
    dualInA = a.students[2]!;
    dualInB = joinGuild(b.guild, dualInA);
    alphaIds = [a.instructor.id, a.students[0]!.id, a.students[1]!.id];
    bravoIds = [b.instructor.id, ...b.students.map((s) => s.id)];

    // Guild A: daily answers (one by the person in both guilds), practice answers, an imported question, grades with feedback.
    await a.instructor.run('setup daily', { channel: { id: a.channelId }, time: '09:00', timezone: 'Europe/Berlin' });
    await a.instructor.run('daily post');
    const aPost = world.fake.lastChannelMessage(a.channelId)!;
    for (const [n, student] of [a.students[0]!, a.students[1]!, dualInA].entries())
      await answer(student, aPost, `ALPHA-SECRET-daily-${n} a signed token`);
    await a.instructor.run('questions import', { file: ALPHA_EXERCISE });
    alphaImportedId = String(
      (await a.instructor.autocomplete('review', { question: 'alpha-only' }, 'question'))[0]!.value,
    );
    const aQuiz = await a.students[0]!.run('quiz', { topic: 'Alpha Only Topic' });
    await answer(a.students[0]!, aQuiz.message!, 'ALPHA-SECRET-practice');
    let card = (await a.instructor.run('review')).message!;
    for (const grade of ['Correct', 'Partial', 'Correct']) {
      await a.instructor.click(card, 'Feedback');
      card = (await a.instructor.submitModal('ALPHA-FEEDBACK well done')).message!;
      card = (await a.instructor.click(card, grade)).message!;
    }

    // Guild B: its own schedule, daily answers and one grade; the person in both guilds does nothing here.
    await b.instructor.run('setup daily', {
      channel: { id: b.channelId },
      time: '07:30',
      timezone: 'America/New_York',
    });
    await b.instructor.run('daily post');
    const bPost = world.fake.lastChannelMessage(b.channelId)!;
    await answer(b.students[0]!, bPost, 'BRAVO daily zero, a signed token');
    await answer(b.students[1]!, bPost, 'BRAVO daily one');
    const bQuiz = await b.students[0]!.run('quiz', { topic: 'JWT' });
    await answer(b.students[0]!, bQuiz.message!, 'BRAVO practice');
    const bCard = (await b.instructor.run('review')).message!;
    await b.instructor.click(bCard, 'Correct');
  });
  afterAll(async () => {
    await world?.close();
  });

  it("/review in B walks only B's answers; A's question and students filter to nothing", async () => {
    let card = (await b.instructor.run('review')).message!;
    expect(textOf(card)).toMatch(/Review · 2 left/);
    const bodies: string[] = [];
    for (let n = 0; n < 2; n += 1) {
      expectNothingOfA(textOf(card), `review card ${n}`);
      bodies.push((card.embeds[0] as { description: string }).description);
      card = (await b.instructor.click(card, 'Skip')).message!;
    }
    expect(bodies.sort()).toEqual(['BRAVO daily one', 'BRAVO practice']);
    expect(textOf((await b.instructor.run('review', { student: { id: a.students[0]!.id } })).message)).toMatch(
      /Nothing left/,
    );
    expect(textOf((await b.instructor.run('review', { student: { id: dualInB.id } })).message)).toMatch(/Nothing left/);
    expect(textOf((await b.instructor.run('review', { question: alphaImportedId })).message)).toMatch(
      /Unknown question/,
    );
    expect(await b.instructor.autocomplete('review', { question: 'alpha' }, 'question')).toEqual([]);
    world.expectHealthy();
  });

  it("/leaderboard in B, for every period, ranks only B's members", async () => {
    for (const period of ['week', 'month', 'all']) {
      const board = await b.students[1]!.run('leaderboard', { period });
      const text = textOf(board.message);
      expectNothingOfA(text, `leaderboard ${period}`);
      expect(text, `leaderboard ${period}: the person in both guilds has no points in B`).not.toContain(dualInB.id);
      expect(text).toContain(`<@${b.students[0]!.id}>`);
      expect(text).toMatch(/4 points[\s\S]*1 point/);
    }
    world.expectHealthy();
  });

  it('/me in B shows the person in both guilds nothing of what they did in A', async () => {
    const inA = textOf((await dualInA.run('me')).message).replace(/\*\*/g, '');
    expect(inA).toMatch(/4 this week · 4 all time/);
    const inB = textOf((await dualInB.run('me')).message).replace(/\*\*/g, '');
    expect(inB).toMatch(/0 this week · 0 all time/);
    expect(inB).toMatch(/Rank \(all time\)\nNo points yet/);
    expect(inB).toMatch(/Answers given\n0/);
    expect(inB).toMatch(/No graded answers yet/);
    expectNothingOfA(inB.replace(dualInB.id, ''), '/me');
    const bStudent = textOf((await b.students[0]!.run('me')).message).replace(/\*\*/g, '');
    expect(bStudent).toMatch(/4 this week · 4 all time/);
    expect(bStudent).toMatch(/Answers given\n2/);
    world.expectHealthy();
  });

  it("/stats in B counts only B's answers and daily questions", async () => {
    const stats = await b.instructor.run('stats');
    const text = textOf(stats.message);
    expectNothingOfA(text, '/stats');
    const counted = [...text.matchAll(/(\d+) answers? · /g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(counted).toBe(3);
    expect(text.match(/\d{4}-\d{2}-\d{2} · `/g)).toHaveLength(1);
    world.expectHealthy();
  });

  it("/export in B holds B's answers only, and A's export none of B's", async () => {
    const rowsOf = async (cohort: Cohort) => {
      const result = await cohort.instructor.run('export');
      return parseCsv(result.message!.attachments[0]!.text().replace(/^\uFEFF/, '')).slice(1);
    };
    const bRows = await rowsOf(b);
    expect(bRows).toHaveLength(3);
    expect(bRows.every((row) => bravoIds.includes(row[3]!))).toBe(true);
    expectNothingOfA(bRows.flat().join('\n'), '/export of B');
    const aRows = await rowsOf(a);
    expect(aRows).toHaveLength(4);
    expect(aRows.flat().join('\n')).not.toMatch(/BRAVO/);
    expect(aRows.some((row) => bravoIds.includes(row[3]!))).toBe(false);
    world.expectHealthy();
  });

  it("A's own question is invisible in B's /questions list and /quiz", async () => {
    const list = await b.instructor.run('questions list');
    expectNothingOfA(textOf(list.message), '/questions list');
    expect(await b.students[0]!.autocomplete('quiz', { topic: 'alpha' }, 'topic')).toEqual([]);
    const quiz = await b.students[1]!.run('quiz', { topic: 'Alpha Only Topic' });
    expect(textOf(quiz.message)).toMatch(/no topic "Alpha Only Topic"/);
    expect(textOf(quiz.message).split('Topics:')[1]).not.toMatch(/Alpha Only/);
    world.expectHealthy();
  });
});
