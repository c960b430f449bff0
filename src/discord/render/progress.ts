import { Colors, EmbedBuilder } from 'discord.js';
import type { Progress, TopicGrades } from '../../db/repo/progress.ts';
import { GRADE_LABELS } from './review.ts';
import { discordTime, fieldValue, plural, shorten, studentText } from './text.ts';

const BAR_CELLS = 5;
const MAX_TOPICS = 15;

/**
 * A topic's grades as a bar of 5 cells: the share of graded answers graded correct, rounded to fifths
 * (partial answers count in the total, not as correct, and are named after the count).
 */
export function topicBar(grades: TopicGrades): string {
  const filled = grades.graded === 0 ? 0 : Math.round((grades.correct / grades.graded) * BAR_CELLS);
  const partial = grades.partial > 0 ? `, ${grades.partial} partial` : '';
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)} ${grades.correct}/${grades.graded} correct${partial}`;
}

function topicsText(topics: TopicGrades[]): string {
  if (topics.length === 0) return 'No graded answers yet.';
  const lines = topics.slice(0, MAX_TOPICS).map((t) => `**${shorten(t.topic, 40)}** ${topicBar(t)}`);
  if (topics.length > MAX_TOPICS) lines.push(`… and ${topics.length - MAX_TOPICS} more topics`);
  return lines.join('\n');
}

function dueText(due: Progress['due']): string {
  if (due.count === 0) return 'Nothing due right now.';
  const names = due.questions.map((text) => `• ${shorten(text, 120)}`);
  const more = due.count > due.questions.length ? [`… and ${due.count - due.questions.length} more`] : [];
  return [`${plural(due.count, 'question')}: run /quiz to practise.`, ...names, ...more].join('\n');
}

function unseenText(unseen: Progress['unseen']): string {
  const items = unseen.grades.map((g) => {
    const feedback = g.feedback ? `\n> ${studentText(g.feedback, 200).replace(/\n/g, '\n> ')}` : '';
    return `**${GRADE_LABELS[g.grade]}** ${discordTime(g.gradedAt, 'R')} · ${shorten(g.question, 80)}${feedback}`;
  });
  const more =
    unseen.count > unseen.grades.length ? `\n… and ${unseen.count - unseen.grades.length} more: run /me again.` : '';
  return shorten(items.join('\n'), 1024 - more.length) + more;
}

/** The student's own progress in a cohort (named when they are in several), shown only to them. */
export function progressEmbed(progress: Progress, cohortName?: string): EmbedBuilder {
  const { points, rank, streak } = progress;
  const embed = new EmbedBuilder()
    .setTitle(shorten(cohortName ? `Your progress · ${cohortName}` : 'Your progress', 256))
    .setColor(Colors.Green)
    .addFields(
      { name: 'Points', value: `**${points.week}** this week · **${points.allTime}** all time`, inline: true },
      { name: 'Rank (all time)', value: rank ? `#${rank.rank}` : 'No points yet', inline: true },
      { name: 'Daily streak', value: `${streak.current} now · best ${streak.best}`, inline: true },
      { name: 'Answers given', value: String(progress.answers), inline: true },
      { name: 'Grades by topic', value: fieldValue(topicsText(progress.topics)) },
      { name: 'Due for practice', value: fieldValue(dueText(progress.due)) },
    );
  if (progress.unseen.grades.length > 0)
    embed.addFields({ name: 'New grades', value: fieldValue(unseenText(progress.unseen)) });
  return embed;
}
