/**
 * How a chart becomes a PNG, without a browser: ECharts lays the option out as an SVG string (server-side
 * rendering, pure JavaScript), and resvg (a prebuilt Rust binary) rasterizes that very SVG. Tests read the same
 * SVG to check what the PNG shows. Text is drawn only with the DejaVu Sans that ships in the dejavu-fonts-ttf
 * package: resvg is told not to look at the machine's fonts, so a clean machine draws the same picture.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import { BarChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, GraphicComponent, SVGRenderer]);

const FONT_FAMILY = 'DejaVu Sans';
const fontDir = path.join(path.dirname(fileURLToPath(import.meta.resolve('dejavu-fonts-ttf/package.json'))), 'ttf');
const FONT_FILES = [path.join(fontDir, 'DejaVuSans.ttf'), path.join(fontDir, 'DejaVuSans-Bold.ttf')];

/** The Okabe–Ito palette: told apart with the common colour-vision deficiencies, and in greyscale by lightness. */
export const PALETTE = {
  bluishGreen: '#009E73',
  orange: '#E69F00',
  vermillion: '#D55E00',
  blue: '#0072B2',
  skyBlue: '#56B4E9',
  reddishPurple: '#CC79A7',
  grey: '#999999',
  text: '#222222',
} as const;

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
  /** The chart's figures in words, for the attachment's description (screen readers); at most 1024 characters. */
  altText: string;
  /** True when there was nothing to chart yet: the image says so instead of drawing empty axes. */
  empty: boolean;
}

/** Discord's limit on an attachment's description. */
export const ALT_TEXT_MAX = 1024;

/** The SVG that ECharts draws for `option`: what the PNG will show, element by element. */
export function chartSvg(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY, color: PALETTE.text },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterizes on libuv's thread pool, so the bot's event loop keeps answering meanwhile. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: 'original' },
  });
  return image.asPng();
}

/** A label cut to `max` characters with an ellipsis, so long slugs and topics cannot crowd the axes. */
export function clip(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
/** Axis numbers stay short however large the counts: 1,234,567 is drawn as 1.2M. */
const compactNumber = (value: number): string => compact.format(value);

/** A whole image that says there is nothing to chart yet, with the same size as the chart would have. */
export function emptyChartOption(title: string, message: string): EChartsCoreOption {
  return {
    title: { text: title, left: 'center', top: 12, textStyle: { fontSize: 18, fontFamily: FONT_FAMILY } },
    graphic: {
      type: 'text',
      left: 'center',
      top: 'middle',
      style: { text: message, fontSize: 16, fill: PALETTE.text, fontFamily: FONT_FAMILY },
    },
  };
}

/** A value axis of whole numbers, written short. */
export const valueAxis = (gridIndex: number) => ({
  type: 'value',
  gridIndex,
  minInterval: 1,
  axisLabel: { formatter: compactNumber, fontSize: 12 },
});

/** A category axis that shows every label; `down` lists them top to bottom (for horizontal bars). */
export function categoryAxis(gridIndex: number, labels: string[], options: { down?: boolean } = {}) {
  return options.down
    ? {
        type: 'category',
        gridIndex,
        data: labels,
        inverse: true,
        axisLabel: { fontSize: 12, interval: 0 },
        axisTick: { show: false },
      }
    : {
        type: 'category',
        gridIndex,
        data: labels,
        axisLabel: { fontSize: 12, interval: 0 },
        axisTick: { alignWithLabel: true },
      };
}

/** One series of single-colour bars on grid `grid`, each with its value written at its end. */
export function labelledBars(input: {
  name: string;
  grid: number;
  color: string;
  maxWidth: number;
  at: 'top' | 'right';
  data: number[];
}) {
  return {
    name: input.name,
    type: 'bar',
    xAxisIndex: input.grid,
    yAxisIndex: input.grid,
    barMaxWidth: input.maxWidth,
    itemStyle: { color: input.color },
    label: {
      show: true,
      position: input.at,
      formatter: ({ value }: { value: number }) => compactNumber(value),
      fontSize: 12,
    },
    data: input.data,
  };
}
