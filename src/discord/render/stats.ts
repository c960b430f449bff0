import { Colors, EmbedBuilder } from 'discord.js';
import type { GuildStats, QuestionStats } from '../../db/repo/stats.ts';
import { fieldValue, fitLines, plural, shorten } from './text.ts';

/** The per-question list stops here, leaving room in the 6000 characters of an embed for the other fields. */
const QUESTION_LIST_MAX = 3500;

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);

function questionLine(q: QuestionStats): string {
  const counts = q.graded > 0 ? ` · ✅ ${q.correct} 🟡 ${q.partial} ❌ ${q.incorrect}` : '';
  return `\`${q.slug}\` ${plural(q.answers, 'answer')} · ${percent(q.graded, q.answers)} graded${counts}`;
}

export function statsEmbed(stats: GuildStats): EmbedBuilder {
  const lines = stats.questions.map(questionLine);
  const daily = stats.daily.map((d) => `${d.localDate} · \`${d.slug}\` · ${plural(d.answers, 'answer')}`);
  const weakest = stats.weakestTopics.map(
    (t) => `**${shorten(t.topic, 60)}**: ${percent(t.correct, t.graded)} correct (${t.correct}/${t.graded} graded)`,
  );
  return new EmbedBuilder()
    .setTitle('Cohort stats')
    .setColor(Colors.Blurple)
    .setDescription(
      lines.length > 0 ? fitLines(lines, QUESTION_LIST_MAX, 'questions') : 'The bank has no questions yet.',
    )
    .addFields(
      {
        name: 'Participation in the last 7 daily questions',
        value: fieldValue(daily.join('\n') || 'No daily question posted yet.'),
      },
      { name: 'Weakest topics', value: fieldValue(weakest.join('\n') || 'No graded answers yet.') },
    )
    .setFooter({ text: '✅ correct · 🟡 partial · ❌ incorrect, among graded answers' });
}
