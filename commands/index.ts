import type { Command } from '../src/discord/command.ts';
import { daily } from './daily.ts';
import { exportCommand } from './export.ts';
import { leaderboard } from './leaderboard.ts';
import { me } from './me.ts';
import { questionsCommand } from './questions.ts';
import { quiz } from './quiz.ts';
import { review } from './review.ts';
import { setup } from './setup.ts';
import { stats } from './stats.ts';

/** Every slash command of the bot, listed explicitly (a test checks that no file in commands/ is missing). */
export const commands: readonly Command[] = [
  quiz,
  me,
  leaderboard,
  review,
  setup,
  daily,
  questionsCommand,
  stats,
  exportCommand,
];
