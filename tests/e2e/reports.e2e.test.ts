import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csvParse.ts';
import { startWorld, textOf, type World } from './world.ts';

const NEW_EXERCISE = `### Week 9: Git

Answer the following questions below:

- What does \`git rebase\` do?
`;

describe('reports end to end: /leaderboard, /me, /stats, /export, /questions', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    const [ada, linus, margaret] = world.students;
    await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '09:00',
      timezone: 'Europe/Berlin',
    });
    await world.instructor.run('daily post');
    const post = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!;
    const answers: [typeof ada, string][] = [
      [ada, 'A signed token with claims about the user, used for authentication.'],
      [linus, '=HYPERLINK("http://x")'],
      [margaret, 'It is a token, "quoted", with a comma\nand a new line.'],
    ];
    for (const [student, text] of answers) {
      await student.click(post, 'Answer');
      expect(textOf((await student.submitModal(text)).message)).toContain('saved');
    }
    let card = (await world.instructor.run('review')).message!;
    for (const grade of ['Correct', 'Incorrect', 'Partial'])
      card = (await world.instructor.click(card, grade)).message!;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('/leaderboard ranks the cohort publicly without pinging anyone', async () => {
    const board = await world.students[2].run('leaderboard', { period: 'week' });
    expect(board.ephemeral).toBe(false);
    const text = textOf(board.message);
    const [ada, , margaret] = world.students;
    expect(text.indexOf(`<@${ada.id}>`)).toBeLessThan(text.indexOf(`<@${margaret.id}>`));
    expect(text).toMatch(/4 points[\s\S]*2 points[\s\S]*1 point/);
    world.expectHealthy();
  });

  it('/me shows the student their points, rank, streak and grades per topic', async () => {
    const me = await world.students[0].run('me');
    expect(me.ephemeral).toBe(true);
    expect(textOf(me.message).replace(/\*\*/g, '')).toMatch(
      /4 this week · 4 all time[\s\S]*#1[\s\S]*1 now[\s\S]*JWT ▰▰▰▰▰ 1\/1/,
    );
  });

  it('/stats shows per-question counts to instructors and refuses students', async () => {
    const stats = await world.instructor.run('stats');
    expect(textOf(stats.message)).toMatch(/jwt-what[\s\S]*3 answers[\s\S]*100% graded/);
    const refused = await world.students[0].run('stats', {}, { ignoreDefaultMemberPermissions: true });
    expect(textOf(refused.message)).toMatch(/Only instructors/);
  });

  it('/export attaches a CSV that parses back row by row, with formulas neutralised', async () => {
    const result = await world.instructor.run('export');
    const file = result.message!.attachments[0]!;
    expect(file.filename).toMatch(/^answers-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(file.text().replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([
      'answer_id',
      'question_slug',
      'question',
      'student_id',
      'student_name',
      'kind',
      'answered_at',
      'answer',
      'grade',
      'grader_id',
      'feedback',
      'points',
      'version',
      'edited_at',
      'earlier_versions',
      'cohort',
    ]);
    const byStudent = new Map(rows.slice(1).map((row) => [row[3], row]));
    const [ada, linus, margaret] = world.students;
    expect(byStudent.get(ada.id)?.slice(4, 6)).toEqual(['Ada', 'daily']);
    expect(byStudent.get(ada.id)?.slice(8)).toEqual(['correct', world.instructor.id, '', '4', '1', '', '', 'Cohort 1']);
    expect(byStudent.get(linus.id)?.[7]).toBe(`'=HYPERLINK("http://x")`);
    expect(byStudent.get(margaret.id)?.[7]).toBe('It is a token, "quoted", with a comma\nand a new line.');
    expect(rows).toHaveLength(4);
  });

  it('/questions import adds a new question that then appears in /quiz, and a second import changes nothing', async () => {
    const file = { filename: 'week9.md', content: NEW_EXERCISE, contentType: 'text/markdown' };
    const first = await world.instructor.run('questions import', { file });
    expect(textOf(first.message)).toMatch(/Added[\s\S]*what-does-git-rebase-do/i);
    const second = await world.instructor.run('questions import', { file });
    expect(textOf(second.message)).not.toMatch(/Added/);
    const list = await world.instructor.run('questions list', { topic: 'Week 9: Git' });
    expect(textOf(list.message)).toContain('git rebase');
    const quiz = await world.students[1].run('quiz', { topic: 'Week 9: Git' });
    expect(textOf(quiz.message)).toContain('What does `git rebase` do?');
    const bad = await world.instructor.run('questions import', {
      file: { filename: 'notes.md', content: 'no questions here', contentType: 'text/markdown' },
    });
    expect(textOf(bad.message)).toMatch(/no questions/i);
    world.expectHealthy();
  });
});
