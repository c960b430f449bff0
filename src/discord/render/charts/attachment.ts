import { AttachmentBuilder } from 'discord.js';
import type { RenderedChart } from './engine.ts';

/**
 * A chart as a message attachment, with its figures in words as the attachment's description (what screen
 * readers announce), and the `attachment://` URL an embed shows it with; null when there is nothing to chart.
 */
export function chartAttachment(
  chart: RenderedChart,
  name: `${string}.png`,
): { file: AttachmentBuilder; url: string } | null {
  if (chart.empty) return null;
  return { file: new AttachmentBuilder(chart.png, { name, description: chart.altText }), url: `attachment://${name}` };
}
