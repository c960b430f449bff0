import { Colors, EmbedBuilder } from 'discord.js';
import type { ImportReport } from '../../db/repo/importQuestions.ts';
import type { QuestionRow } from '../../db/repo/questions.ts';
import { fieldValue, fitLines, shorten } from './text.ts';

/** The bank as `/questions list` shows it: one line per question, as many as fit. */
export function questionListEmbed(rows: QuestionRow[], topic: string | null): EmbedBuilder {
  const lines = rows.map(
    (q) => `\`${q.slug}\` · **${shorten(q.topic, 40)}** · ${shorten(q.text, 100)}${q.active ? '' : ' · _retired_'}`,
  );
  const active = rows.filter((q) => q.active).length;
  return new EmbedBuilder()
    .setTitle(shorten(`Question bank${topic ? ` · ${topic}` : ''}`, 256))
    .setColor(Colors.Blurple)
    .setDescription(lines.length > 0 ? fitLines(lines, 4000, 'questions: filter by topic') : 'No questions.')
    .setFooter({ text: `${rows.length} questions, ${active} active` });
}

export function importReportEmbed(fileName: string, report: ImportReport): EmbedBuilder {
  const list = (slugs: string[]) =>
    fitLines(
      slugs.map((slug) => `\`${slug}\``),
      1000,
      '',
    );
  const skipped = report.skipped.map((s) => `• ${shorten(s.question, 100)}: ${shorten(s.reason, 200)}`);
  const embed = new EmbedBuilder()
    .setTitle(shorten(`Import of ${fileName}`, 256))
    .setColor(report.added.length + report.updated.length > 0 ? Colors.Green : Colors.Yellow)
    .setDescription(
      `${report.added.length} added · ${report.updated.length} updated · ${report.unchanged.length} unchanged · ${report.skipped.length} skipped`,
    );
  if (report.added.length > 0) embed.addFields({ name: 'Added', value: fieldValue(list(report.added)) });
  if (report.updated.length > 0) embed.addFields({ name: 'Updated', value: fieldValue(list(report.updated)) });
  if (skipped.length > 0) embed.addFields({ name: 'Skipped', value: fieldValue(fitLines(skipped, 1000, 'skipped')) });
  const incomplete = report.incomplete.map((q) => `\`${q.slug}\`: no ${q.missing.join(', no ')}`);
  if (incomplete.length > 0) {
    embed.addFields({
      name: 'Incomplete: students see no reference answer, answers get no suggested grade',
      value: fieldValue(fitLines(incomplete, 1000, 'questions')),
    });
  }
  return embed;
}
