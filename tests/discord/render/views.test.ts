import { Colors } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/db/repo/progress.ts';
import type { GuildStats, QuestionStats } from '../../../src/db/repo/stats.ts';
import { leaderboardEmbed } from '../../../src/discord/render/leaderboard.ts';
import { progressEmbed, topicBar } from '../../../src/discord/render/progress.ts';
import { importReportEmbed, questionListEmbed } from '../../../src/discord/render/questionBank.ts';
import { statsEmbed } from '../../../src/discord/render/stats.ts';
import { plural } from '../../../src/discord/render/text.ts';

const since = new Date('2026-01-12T05:00:00Z');
const user = (n: number) => String(100000000000000000n + BigInt(n));
const embedLength = (embed: ReturnType<ReturnType<typeof statsEmbed>['toJSON']>) =>
  [embed.title, embed.description, embed.footer?.text, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])].join(
    '',
  ).length;

describe('plural', () => {
  it.each([
    [0, 'point', '0 points'],
    [1, 'point', '1 point'],
    [2, 'point', '2 points'],
    [-1, 'point', '-1 point'],
    [-2, 'point', '-2 points'],
  ])('counts %d %s as "%s"', (count, noun, expected) => {
    expect(plural(count, noun)).toBe(expected);
  });

  it('takes an irregular plural', () => {
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });
});

describe('the leaderboard embed', () => {
  const top = Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, userId: user(i + 1), points: 99 - i }));

  it("lists the top 10 with medals and adds the caller's own rank when outside it", () => {
    const embed = leaderboardEmbed(
      { since, top, caller: { rank: 12, userId: user(12), points: 88 } },
      'week',
      user(12),
    ).toJSON();
    expect(embed.title).toBe('Leaderboard · this week');
    expect(embed.color).toBe(Colors.Yellow);
    expect(embed.description?.split('\n').filter((l) => l.includes('<@'))).toHaveLength(10);
    expect(embed.description?.split('\n')[0]).toBe(`🥇 <@${user(1)}> · 99 points`);
    expect(embed.fields?.[0]?.value).toBe(`**12.** <@${user(12)}> · 88 points`);
  });

  it('adds no field for a caller inside the top, and says "1 point" for one', () => {
    const embed = leaderboardEmbed(
      { since: null, top: [{ rank: 1, userId: user(3), points: 1 }], caller: { rank: 1, userId: user(3), points: 1 } },
      'all',
      user(3),
    ).toJSON();
    expect(embed.fields).toBeUndefined();
    expect(embed.description).toBe(`🥇 <@${user(3)}> · 1 point\n\n_Counted._`);
  });

  it('says the caller has no points yet, and an empty board says so with its start', () => {
    const embed = leaderboardEmbed({ since, top: [top[0]!], caller: null }, 'week', user(2)).toJSON();
    expect(embed.fields?.[0]?.value).toBe(`<@${user(2)}>: no points yet this week.`);
    const empty = leaderboardEmbed({ since, top: [], caller: null }, 'month', user(2)).toJSON();
    expect(empty.description).toMatch(/^No points yet this month \(since <t:\d+:D>\)\.$/);
    expect(empty.fields).toBeUndefined();
  });
});

describe('the progress embed', () => {
  const nobody: Progress = {
    points: { week: 0, allTime: 0 },
    rank: null,
    streak: { current: 0, best: 0 },
    answers: 0,
    topics: [],
    due: { count: 0, questions: [] },
    unseen: { count: 0, grades: [] },
  };
  const field = (progress: Progress, name: string) =>
    progressEmbed(progress)
      .toJSON()
      .fields?.find((f) => f.name === name)?.value;

  it('draws a topic as a bar of correct over graded, naming partial answers', () => {
    expect(topicBar({ topic: 'JWT', graded: 2, correct: 1, partial: 1 })).toBe('▰▰▰▱▱ 1/2 correct, 1 partial');
    expect(topicBar({ topic: 'Testing', graded: 1, correct: 0, partial: 0 })).toBe('▱▱▱▱▱ 0/1 correct');
    expect(topicBar({ topic: 'x', graded: 5, correct: 5, partial: 0 })).toBe('▰▰▰▰▰ 5/5 correct');
  });

  it('says a student without points has no rank, nothing graded and nothing due', () => {
    expect(field(nobody, 'Rank (all time)')).toBe('No points yet');
    expect(field(nobody, 'Grades by topic')).toBe('No graded answers yet.');
    expect(field(nobody, 'Due for practice')).toBe('Nothing due right now.');
    expect(progressEmbed(nobody).toJSON().color).toBe(Colors.Green);
  });

  it('counts due questions with the right noun', () => {
    expect(field({ ...nobody, due: { count: 1, questions: ['What is a JWT?'] } }, 'Due for practice')).toBe(
      '1 question: run /quiz to practise.\n• What is a JWT?',
    );
    expect(field({ ...nobody, due: { count: 4, questions: ['a', 'b'] } }, 'Due for practice')).toBe(
      '4 questions: run /quiz to practise.\n• a\n• b\n… and 2 more',
    );
  });

  it('shows new grades with their feedback, and how many more there are', () => {
    const grade = (answerId: number) => ({
      answerId,
      question: 'What is a JWT?',
      grade: 'partial' as const,
      feedback: 'Mention the signature.',
      gradedAt: since,
    });
    const progress = { ...nobody, unseen: { count: 6, grades: [1, 2, 3, 4, 5].map(grade) } };
    const last = progressEmbed(progress).toJSON().fields?.at(-1);
    expect(last?.name).toBe('New grades');
    expect(last?.value).toContain('**Partial** <t:');
    expect(last?.value).toContain('> Mention the signature.');
    expect(last?.value).toMatch(/and 1 more: run \/me again\.$/);
  });
});

describe('the stats embed', () => {
  const question = (slug: string, counts: Partial<QuestionStats> = {}): QuestionStats => ({
    questionId: 1,
    slug,
    text: 'q',
    answers: 0,
    graded: 0,
    correct: 0,
    partial: 0,
    incorrect: 0,
    ...counts,
  });
  const empty: GuildStats = { questions: [], daily: [], weakestTopics: [] };

  it('gives a question its answers, share graded and grades', () => {
    const stats: GuildStats = {
      questions: [
        question('jwt-a', { answers: 5, graded: 4, correct: 2, partial: 1, incorrect: 1 }),
        question('jwt-b', { answers: 1 }),
      ],
      daily: [{ localDate: '2026-03-02', slug: 'jwt-b', answers: 1 }],
      weakestTopics: [{ topic: 'CI', graded: 3, correct: 1 }],
    };
    const embed = statsEmbed(stats).toJSON();
    expect(embed.description).toBe('`jwt-a` 5 answers · 80% graded · ✅ 2 🟡 1 ❌ 1\n`jwt-b` 1 answer · 0% graded');
    expect(embed.fields?.map((f) => f.value)).toEqual([
      '2026-03-02 · `jwt-b` · 1 answer',
      '**CI**: 33% correct (1/3 graded)',
    ]);
    expect(embed.color).toBe(Colors.Blurple);
  });

  it('keeps the embed within Discord limits with many questions, saying how many were left out', () => {
    const many = Array.from({ length: 120 }, (_, i) => question(`a-rather-long-question-slug-to-fill-the-embed-${i}`));
    const embed = statsEmbed({ ...empty, questions: many }).toJSON();
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/\n… and \d+ more questions$/);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields?.map((f) => f.value)).toEqual(['No daily question posted yet.', 'No graded answers yet.']);
  });
});

describe('the question bank embeds', () => {
  const report = { found: 3, added: ['what-is-currying'], updated: [], unchanged: [], skipped: [], incomplete: [] };

  it('reports an import: counts, skipped questions with their reason, and incomplete questions', () => {
    const embed = importReportEmbed('week5.md', {
      ...report,
      skipped: [{ question: 'What is a monad?', reason: 'the slug "Bad Slug" is not valid' }],
      incomplete: [{ slug: 'what-is-hoisting', missing: ['reference answer', 'rubric'] }],
    }).toJSON();
    expect(embed.title).toBe('Import of week5.md');
    expect(embed.description).toBe('1 added · 0 updated · 0 unchanged · 1 skipped');
    expect(embed.fields?.find((f) => f.name === 'Added')?.value).toBe('`what-is-currying`');
    expect(embed.fields?.find((f) => f.name === 'Skipped')?.value).toBe(
      '• What is a monad?: the slug "Bad Slug" is not valid',
    );
    expect(embed.fields?.find((f) => f.name.startsWith('Incomplete'))?.value).toBe(
      '`what-is-hoisting`: no reference answer, no rubric',
    );
    expect(embed.color).toBe(Colors.Green);
  });

  it('is yellow when nothing was added or updated', () => {
    expect(importReportEmbed('same.md', { ...report, added: [], unchanged: ['a'] }).toJSON().color).toBe(Colors.Yellow);
  });

  it('lists questions with their topic, marks retired ones and counts the active ones', () => {
    const row = (slug: string, active: boolean) =>
      ({ id: 1, slug, topic: 'JWT', text: `What is ${slug}?`, active }) as Parameters<
        typeof questionListEmbed
      >[0][number];
    const embed = questionListEmbed([row('a', true), row('b', false)], 'JWT').toJSON();
    expect(embed.title).toBe('Question bank · JWT');
    expect(embed.description).toBe('`a` · **JWT** · What is a?\n`b` · **JWT** · What is b? · _retired_');
    expect(embed.footer?.text).toBe('2 questions, 1 active');
  });
});
