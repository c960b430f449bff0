/** Reads back what a chart draws: its bars from the SVG, and pixels from the PNG. */
import { PNG } from 'pngjs';

export interface SvgBar {
  series: number;
  index: number;
  fill: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const BAR =
  /<path d="M([-\d.e]+) ([-\d.e]+)((?:l[-\d.e]+ [-\d.e]+)+)Z" fill="([^"]+)"[^>]*ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)"/g;

/** Every bar of the SVG (ECharts draws each as a closed path of relative lines), with its bounding box. */
export function svgBars(svg: string): SvgBar[] {
  return [...svg.matchAll(BAR)].map((m) => {
    let x = Number(m[1]);
    let y = Number(m[2]);
    const xs = [x];
    const ys = [y];
    for (const [, dx, dy] of m[3]!.matchAll(/l([-\d.e]+) ([-\d.e]+)/g)) {
      x += Number(dx);
      y += Number(dy);
      xs.push(x);
      ys.push(y);
    }
    const left = Math.min(...xs);
    const top = Math.min(...ys);
    return {
      series: Number(m[5]),
      index: Number(m[6]),
      fill: m[4]!,
      x: left,
      y: top,
      width: Math.max(...xs) - left,
      height: Math.max(...ys) - top,
    };
  });
}

/** The texts of the SVG, in drawing order. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  );
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The decoded image; throws unless the bytes are a whole, valid PNG. */
export function decodePng(png: Buffer): PNG {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: wrong signature');
  return PNG.sync.read(png);
}

/** The pixel's colour as #RRGGBB. */
export function pixel(image: PNG, x: number, y: number): string {
  const at = (Math.round(y) * image.width + Math.round(x)) * 4;
  return `#${[0, 1, 2].map((i) => image.data[at + i]!.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

/** How many pixels of the box are darker than mid-grey: text drawn there, or none. */
export function darkPixels(image: PNG, box: { x: number; y: number; width: number; height: number }): number {
  let dark = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const at = (y * image.width + x) * 4;
      if (image.data[at]! + image.data[at + 1]! + image.data[at + 2]! < 3 * 128) dark++;
    }
  }
  return dark;
}
