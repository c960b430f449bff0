/** The /stats chart: per question, stacked bars of outcomes; below, participation in the last daily questions. */
import type { EChartsCoreOption } from 'echarts/core';
import type { QuestionOutcomes, StatsChartData } from '../../../db/repo/charts.ts';
import { fitLines } from '../text.ts';
import {
  ALT_TEXT_MAX,
  categoryAxis,
  chartSvg,
  clip,
  emptyChartOption,
  labelledBars,
  PALETTE,
  svgToPng,
  valueAxis,
  type RenderedChart,
} from './engine.ts';

export const OUTCOMES = [
  { key: 'correct', name: 'Correct', color: PALETTE.bluishGreen },
  { key: 'partial', name: 'Partial', color: PALETTE.orange },
  { key: 'incorrect', name: 'Incorrect', color: PALETTE.vermillion },
  { key: 'ungraded', name: 'Not graded yet', color: PALETTE.grey },
] as const;

const WIDTH = 900;
const ROW = 22;
const LABEL_CHARS = 24;
const TOP = 80;
const PARTICIPATION_HEIGHT = 200;

/** The image's layout for `questions` rows: the per-question grid, then the participation grid under it. */
export function statsChartSize(questionCount: number): { width: number; height: number; questionsHeight: number } {
  const questionsHeight = Math.max(questionCount, 3) * ROW;
  return { width: WIDTH, height: TOP + questionsHeight + 90 + PARTICIPATION_HEIGHT + 50, questionsHeight };
}

const answered = (q: QuestionOutcomes) => q.correct + q.partial + q.incorrect + q.ungraded;

function isStatsChartEmpty(data: StatsChartData): boolean {
  return data.daily.length === 0 && data.questions.every((q) => answered(q) === 0);
}

function statsChartOption(data: StatsChartData): EChartsCoreOption {
  if (isStatsChartEmpty(data))
    return emptyChartOption('Cohort stats', 'Nothing to chart yet: no answers and no daily question posted.');
  const { questionsHeight } = statsChartSize(data.questions.length);
  const participationTop = TOP + questionsHeight + 90;
  return {
    title: [
      { text: 'Answers per question', left: 16, top: 12, textStyle: { fontSize: 16 } },
      {
        text:
          data.daily.length === 0
            ? 'Daily questions: none posted yet'
            : `Answers to the last ${data.daily.length} daily questions`,
        left: 16,
        top: participationTop - 50,
        textStyle: { fontSize: 16 },
      },
    ],
    legend: {
      top: 40,
      left: 16,
      data: OUTCOMES.map((o) => o.name),
      itemWidth: 18,
      itemHeight: 12,
      itemGap: 20,
      textStyle: { fontSize: 13 },
    },
    grid: [
      { left: 200, right: 40, top: TOP, height: questionsHeight },
      { left: 60, right: 40, top: participationTop, height: PARTICIPATION_HEIGHT },
    ],
    yAxis: [
      categoryAxis(
        0,
        data.questions.map((q) => clip(q.slug, LABEL_CHARS)),
        { down: true },
      ),
      valueAxis(1),
    ],
    xAxis: [
      valueAxis(0),
      categoryAxis(
        1,
        data.daily.map((d) => d.localDate.slice(5)),
      ),
    ],
    series: [
      ...OUTCOMES.map((o) => ({
        name: o.name,
        type: 'bar',
        stack: 'outcomes',
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 16,
        itemStyle: { color: o.color },
        data: data.questions.map((q) => q[o.key]),
      })),
      labelledBars({
        name: 'Answers',
        grid: 1,
        color: PALETTE.blue,
        maxWidth: 36,
        at: 'top',
        data: data.daily.map((d) => d.answers),
      }),
    ],
  };
}

/** The chart's figures in words, for screen readers: every count that the bars show, as far as Discord allows. */
function statsAltText(data: StatsChartData): string {
  if (isStatsChartEmpty(data))
    return 'Cohort stats chart: nothing to chart yet, no answers and no daily question posted.';
  const daily =
    data.daily.length === 0
      ? 'No daily question posted yet.'
      : `Answers to the last ${data.daily.length} daily questions: ${data.daily.map((d) => `${d.localDate} ${d.slug} ${d.answers}`).join('; ')}.`;
  const intro = 'Bar chart of answers per question (correct, partial, incorrect, not graded yet):';
  const lines = data.questions.map((q) => `${q.slug} ${q.correct}, ${q.partial}, ${q.incorrect}, ${q.ungraded};`);
  const room = ALT_TEXT_MAX - intro.length - daily.length - 2;
  const questions = room > 40 ? fitLines(lines, room, 'questions').replace(/\n/g, ' ') : `${lines.length} questions.`;
  return clip(`${intro} ${questions} ${daily}`, ALT_TEXT_MAX);
}

/** The SVG that becomes the PNG: tests read its bars. */
export function statsChartSvg(data: StatsChartData): { svg: string; width: number; height: number } {
  const { width, height } = isStatsChartEmpty(data)
    ? { width: WIDTH, height: 300 }
    : statsChartSize(data.questions.length);
  return { svg: chartSvg(statsChartOption(data), width, height), width, height };
}

export async function renderStatsChart(data: StatsChartData): Promise<RenderedChart> {
  const { svg, width, height } = statsChartSvg(data);
  return { png: await svgToPng(svg), width, height, altText: statsAltText(data), empty: isStatsChartEmpty(data) };
}
