import { describe, expect, it } from 'vitest';
import type { ProgressChartData, QuestionOutcomes, StatsChartData } from '../../src/db/repo/charts.ts';
import { renderProgressChart, renderStatsChart } from '../../src/discord/render/charts/index.ts';
import { ALT_TEXT_MAX, PALETTE } from '../../src/discord/render/charts/engine.ts';
import { progressChartSvg } from '../../src/discord/render/charts/progressChart.ts';
import { OUTCOMES, statsChartSize, statsChartSvg } from '../../src/discord/render/charts/statsChart.ts';
import { darkPixels, decodePng, pixel, svgBars, svgTexts, type SvgBar } from '../support/chartImage.ts';

const question = (slug: string, counts: Partial<QuestionOutcomes> = {}): QuestionOutcomes => ({
  slug,
  correct: 0,
  partial: 0,
  incorrect: 0,
  ungraded: 0,
  ...counts,
});
const day = (n: number, answers: number) => ({
  localDate: `2026-11-${String(n).padStart(2, '0')}`,
  slug: `daily-${n}`,
  answers,
});

const cohort: StatsChartData = {
  questions: [
    question('jwt-a', { correct: 6, partial: 2, incorrect: 1, ungraded: 3 }),
    question('jwt-b', { correct: 1, incorrect: 4 }),
    question('never-answered'),
    question('ci-a', { ungraded: 2, partial: 5 }),
  ],
  daily: [day(10, 12), day(11, 9), day(12, 0), day(13, 4)],
};

/** Every nonzero bar's length divided by its value: one constant when the bars are drawn to scale. */
function scales(bars: SvgBar[], value: (bar: SvgBar) => number, length: (bar: SvgBar) => number): number[] {
  return bars.filter((bar) => value(bar) !== 0).map((bar) => length(bar) / value(bar));
}

describe('the /stats chart', () => {
  it('is a PNG of the announced size', async () => {
    const chart = await renderStatsChart(cohort);
    const image = decodePng(chart.png);
    expect([image.width, image.height]).toEqual([chart.width, chart.height]);
    const { width, height } = statsChartSize(cohort.questions.length);
    expect([chart.width, chart.height]).toEqual([width, height]);
    expect(chart.empty).toBe(false);
  });

  it('draws one stacked bar per question whose parts are proportional to the counts, in Okabe–Ito colours', () => {
    const bars = svgBars(statsChartSvg(cohort).svg);
    const outcomeBars = bars.filter((bar) => bar.series < OUTCOMES.length);
    expect(outcomeBars).toHaveLength(OUTCOMES.length * cohort.questions.length);
    const count = (bar: SvgBar) => cohort.questions[bar.index]![OUTCOMES[bar.series]!.key];
    const perAnswer = scales(outcomeBars, count, (bar) => bar.width);
    expect(perAnswer.length).toBe(outcomeBars.filter((bar) => count(bar) > 0).length);
    for (const scale of perAnswer) expect(scale).toBeCloseTo(perAnswer[0]!, 1);
    for (const bar of outcomeBars.filter((b) => count(b) === 0)) expect(bar.width).toBeCloseTo(0, 3);
    for (const bar of outcomeBars) expect(bar.fill).toBe(OUTCOMES[bar.series]!.color);
    // Stacked in the legend's order: each part starts where the one before ends, on the same row.
    for (const [index] of cohort.questions.entries()) {
      const row = outcomeBars.filter((bar) => bar.index === index).sort((a, b) => a.series - b.series);
      for (let i = 1; i < row.length; i++) {
        expect(row[i]!.x).toBeCloseTo(row[i - 1]!.x + row[i - 1]!.width, 3);
        expect(row[i]!.y).toBeCloseTo(row[0]!.y, 3);
      }
    }
    // The first question is drawn at the top, as /stats lists it.
    const rowTop = (index: number) => outcomeBars.find((bar) => bar.index === index)!.y;
    expect(rowTop(0)).toBeLessThan(rowTop(1));
  });

  it('draws participation in the daily questions as bars whose heights are proportional to the answers', () => {
    const { svg } = statsChartSvg(cohort);
    const bars = svgBars(svg).filter((bar) => bar.series === OUTCOMES.length);
    expect(bars.map((bar) => bar.index)).toEqual([0, 1, 2, 3]);
    const answers = (bar: SvgBar) => cohort.daily[bar.index]!.answers;
    const perAnswer = scales(bars, answers, (bar) => bar.height);
    expect(perAnswer).toHaveLength(3);
    for (const scale of perAnswer) expect(scale).toBeCloseTo(perAnswer[0]!, 1);
    expect(bars.every((bar) => bar.fill === PALETTE.blue)).toBe(true);
    expect(svgTexts(svg)).toEqual(
      expect.arrayContaining(['11-10', '11-13', '12', '9', 'Answers to the last 4 daily questions']),
    );
  });

  it('paints in the PNG what the SVG says: each bar has its colour at its centre', async () => {
    const { svg } = statsChartSvg(cohort);
    const image = decodePng((await renderStatsChart(cohort)).png);
    const wide = svgBars(svg).filter((bar) => bar.width >= 4 && bar.height >= 4);
    expect(wide.length).toBeGreaterThan(8);
    for (const bar of wide) expect(pixel(image, bar.x + bar.width / 2, bar.y + bar.height / 2)).toBe(bar.fill);
  });

  it('gives the same figures in words, within the 1024 characters of an attachment description', async () => {
    const { altText } = await renderStatsChart(cohort);
    expect(altText).toContain('jwt-a 6, 2, 1, 3;');
    expect(altText).toContain('never-answered 0, 0, 0, 0;');
    expect(altText).toContain('2026-11-11 daily-11 9');
    expect(altText).toContain('(correct, partial, incorrect, not graded yet)');
  });

  it('says there is nothing to chart yet, in the image and its text, when there are no answers and no daily posts', async () => {
    for (const data of [
      { questions: [], daily: [] },
      { questions: [question('a'), question('b')], daily: [] },
    ]) {
      const chart = await renderStatsChart(data);
      expect(chart.empty).toBe(true);
      expect(chart.altText).toMatch(/nothing to chart yet/);
      const image = decodePng(chart.png);
      expect([image.width, image.height]).toEqual([chart.width, chart.height]);
      expect(svgBars(statsChartSvg(data).svg)).toEqual([]);
      expect(svgTexts(statsChartSvg(data).svg)).toContain(
        'Nothing to chart yet: no answers and no daily question posted.',
      );
      // The message is drawn with the bundled font: without it resvg would draw no text at all.
      expect(darkPixels(image, { x: 150, y: 130, width: 600, height: 40 })).toBeGreaterThan(500);
    }
  });

  it('charts posted daily questions that nobody answered yet', async () => {
    const data = { questions: [question('a')], daily: [day(1, 0)] };
    const chart = await renderStatsChart(data);
    expect(chart.empty).toBe(false);
    expect(svgBars(statsChartSvg(data).svg).filter((bar) => bar.series === OUTCOMES.length)).toHaveLength(1);
  });

  it('draws practice answers before any daily post, saying no daily question was posted yet', () => {
    const data = { questions: [question('a', { correct: 2 })], daily: [] };
    const { svg } = statsChartSvg(data);
    expect(svgTexts(svg)).toContain('Daily questions: none posted yet');
    expect(svgBars(svg).filter((bar) => bar.series === OUTCOMES.length)).toEqual([]);
  });

  it('gives slugs that are alike once cut rows of their own', () => {
    const data = {
      questions: [
        question('a-very-long-shared-prefix-one', { correct: 3 }),
        question('a-very-long-shared-prefix-two', { correct: 5 }),
      ],
      daily: [],
    };
    const [first, second] = svgBars(statsChartSvg(data).svg).filter((bar) => bar.series === 0);
    expect(second!.y).toBeGreaterThan(first!.y + first!.height);
    expect(second!.width / first!.width).toBeCloseTo(5 / 3, 2);
  });

  it('keeps 50 questions with long slugs and huge counts legible: short labels, compact numbers, one row each', async () => {
    const huge: StatsChartData = {
      questions: Array.from({ length: 50 }, (_, i) =>
        question(`question-${i}-about-a-very-long-topic-name-indeed`, {
          correct: 1_000_000_000 + i,
          partial: 2_000_000,
          incorrect: i,
          ungraded: 7,
        }),
      ),
      daily: Array.from({ length: 14 }, (_, i) => day(i + 1, 123_456_789)),
    };
    const { svg, height } = statsChartSvg(huge);
    const texts = svgTexts(svg);
    const slugLabels = texts.filter((text) => text.startsWith('question-'));
    expect(slugLabels).toHaveLength(50);
    for (const label of slugLabels) expect(label.length).toBeLessThanOrEqual(24);
    expect(slugLabels[0]).toBe('question-0-about-a-very…');
    expect(texts).toContain('123.5M');
    expect(texts.some((text) => /^\d+(\.\d)?B$/.test(text))).toBe(true);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(60);
    // Rows do not overlap: each question's bar lies below the one before.
    const firstParts = svgBars(svg)
      .filter((bar) => bar.series === 0)
      .sort((a, b) => a.index - b.index);
    for (let i = 1; i < firstParts.length; i++)
      expect(firstParts[i]!.y).toBeGreaterThanOrEqual(firstParts[i - 1]!.y + firstParts[i - 1]!.height);
    const chart = await renderStatsChart(huge);
    expect(decodePng(chart.png).height).toBe(height);
    expect(chart.altText.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    expect(chart.altText).toMatch(/… and \d+ more questions/);
    expect(chart.altText).toContain('Answers to the last 14 daily questions');
  });
});

const progress: ProgressChartData = {
  weeks: [
    { weekStart: '2026-10-12', points: 0 },
    { weekStart: '2026-10-19', points: 4 },
    { weekStart: '2026-10-26', points: 10 },
    { weekStart: '2026-11-02', points: 7 },
  ],
  topics: [
    { topic: 'Authentication', points: 12 },
    { topic: 'Testing', points: 6 },
    { topic: 'CI', points: 3 },
  ],
};

describe('the /me chart', () => {
  it('is a PNG whose week bars and topic bars are proportional to the points', async () => {
    const chart = await renderProgressChart(progress);
    const image = decodePng(chart.png);
    expect([image.width, image.height]).toEqual([chart.width, chart.height]);
    const bars = svgBars(progressChartSvg(progress).svg);
    const weeks = bars.filter((bar) => bar.series === 0);
    const topics = bars.filter((bar) => bar.series === 1);
    expect(weeks).toHaveLength(4);
    expect(topics).toHaveLength(3);
    const perWeekPoint = scales(
      weeks,
      (bar) => progress.weeks[bar.index]!.points,
      (bar) => bar.height,
    );
    const perTopicPoint = scales(
      topics,
      (bar) => progress.topics[bar.index]!.points,
      (bar) => bar.width,
    );
    expect(perWeekPoint).toHaveLength(3);
    for (const scale of perWeekPoint) expect(scale).toBeCloseTo(perWeekPoint[0]!, 1);
    for (const scale of perTopicPoint) expect(scale).toBeCloseTo(perTopicPoint[0]!, 1);
    for (const bar of bars.filter((b) => b.width >= 4 && b.height >= 4))
      expect(pixel(image, bar.x + bar.width / 2, bar.y + bar.height / 2)).toBe(bar.fill);
    expect(chart.altText).toBe(
      'Points per week, from the week of 2026-10-12: 2026-10-12 0; 2026-10-19 4; 2026-10-26 10; 2026-11-02 7. Points per topic: Authentication 12; Testing 6; CI 3.',
    );
  });

  it('draws the ten topics with the most points and says how many there are; the text names them all', async () => {
    const many = {
      ...progress,
      topics: Array.from({ length: 14 }, (_, i) => ({ topic: `Topic number ${i} with a long name`, points: 100 - i })),
    };
    const { svg } = progressChartSvg(many);
    expect(svgBars(svg).filter((bar) => bar.series === 1)).toHaveLength(10);
    expect(svgTexts(svg)).toContain('Points per topic (top 10 of 14)');
    expect(svgTexts(svg)).toContain('Topic number 0 with…');
    expect((await renderProgressChart(many)).altText).toContain('Topic number 13 with a long name 87');
  });

  it('draws weeks that lost points (a regrade) below the axis', () => {
    const down = {
      weeks: [
        { weekStart: '2026-11-02', points: 5 },
        { weekStart: '2026-11-09', points: -2 },
      ],
      topics: [{ topic: 'A', points: 3 }],
    };
    const [up, lost] = svgBars(progressChartSvg(down).svg).filter((bar) => bar.series === 0);
    expect(lost!.y).toBeCloseTo(up!.y + up!.height, 3);
    expect(lost!.height / 2).toBeCloseTo(up!.height / 5, 1);
  });

  it('says there is nothing to chart yet for a student without points', async () => {
    const none = { weeks: progress.weeks.map((w) => ({ ...w, points: 0 })), topics: [] };
    const chart = await renderProgressChart(none);
    expect(chart.empty).toBe(true);
    expect(chart.altText).toMatch(/nothing to chart yet/);
    expect(decodePng(chart.png).height).toBe(chart.height);
    expect(svgTexts(progressChartSvg(none).svg).join(' ')).toContain('Nothing to chart yet');
  });
});
