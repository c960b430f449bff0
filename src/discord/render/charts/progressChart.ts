/** The /me chart: the student's points per week (left) and per topic (right). */
import type { EChartsCoreOption } from 'echarts/core';
import type { ProgressChartData } from '../../../db/repo/charts.ts';
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

const WIDTH = 900;
const HEIGHT = 360;
const TOPICS_DRAWN = 10;
const LABEL_CHARS = 20;

function isProgressChartEmpty(data: ProgressChartData): boolean {
  return data.topics.length === 0 && data.weeks.every((w) => w.points === 0);
}

function progressChartOption(data: ProgressChartData): EChartsCoreOption {
  if (isProgressChartEmpty(data))
    return emptyChartOption(
      'Your points',
      'Nothing to chart yet: no points so far. Answer the daily question or run /quiz.',
    );
  const topics = data.topics.slice(0, TOPICS_DRAWN);
  const more = data.topics.length > TOPICS_DRAWN ? ` (top ${TOPICS_DRAWN} of ${data.topics.length})` : '';
  return {
    title: [
      { text: 'Points per week (from Monday)', left: 16, top: 12, textStyle: { fontSize: 16 } },
      { text: `Points per topic${more}`, left: 470, top: 12, textStyle: { fontSize: 16 } },
    ],
    grid: [
      { left: 50, width: 370, top: 60, bottom: 50 },
      { left: 620, right: 50, top: 60, bottom: 50 },
    ],
    xAxis: [
      categoryAxis(
        0,
        data.weeks.map((w) => w.weekStart.slice(5)),
      ),
      valueAxis(1),
    ],
    yAxis: [
      valueAxis(0),
      categoryAxis(
        1,
        topics.map((t) => clip(t.topic, LABEL_CHARS)),
        { down: true },
      ),
    ],
    series: [
      labelledBars({
        name: 'Points per week',
        grid: 0,
        color: PALETTE.blue,
        maxWidth: 32,
        at: 'top',
        data: data.weeks.map((w) => w.points),
      }),
      labelledBars({
        name: 'Points per topic',
        grid: 1,
        color: PALETTE.reddishPurple,
        maxWidth: 18,
        at: 'right',
        data: topics.map((t) => t.points),
      }),
    ],
  };
}

/** Every figure of the chart in words, for screen readers. */
function progressAltText(data: ProgressChartData): string {
  if (isProgressChartEmpty(data)) return 'Your points chart: nothing to chart yet, no points so far.';
  const weeks = `Points per week, from the week of ${data.weeks[0]!.weekStart}: ${data.weeks.map((w) => `${w.weekStart} ${w.points}`).join('; ')}.`;
  const topics =
    data.topics.length === 0
      ? 'No points in any topic yet.'
      : `Points per topic: ${data.topics.map((t) => `${t.topic} ${t.points}`).join('; ')}.`;
  return clip(`${weeks} ${topics}`, ALT_TEXT_MAX);
}

/** The SVG that becomes the PNG: tests read its bars. */
export function progressChartSvg(data: ProgressChartData): { svg: string; width: number; height: number } {
  const height = isProgressChartEmpty(data) ? 200 : HEIGHT;
  return { svg: chartSvg(progressChartOption(data), WIDTH, height), width: WIDTH, height };
}

export async function renderProgressChart(data: ProgressChartData): Promise<RenderedChart> {
  const { svg, width, height } = progressChartSvg(data);
  return { png: await svgToPng(svg), width, height, altText: progressAltText(data), empty: isProgressChartEmpty(data) };
}
