import type { Command } from '../src/discord/command.ts';
import { daily } from './daily.ts';
import { quiz } from './quiz.ts';
import { review } from './review.ts';
import { setup } from './setup.ts';

/** Every slash command of the bot, listed explicitly (a test checks that no file in commands/ is missing). */
export const commands: readonly Command[] = [quiz, review, setup, daily];
