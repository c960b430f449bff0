import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/lifecycle.ts';
import { MAIN_ENTRY, PROCESS_TEST_TIMEOUT_MS, runScript } from '../support/botProcess.ts';
import { startWorld, textOf, type World } from './world.ts';

describe('restarting the bot', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('keeps answers, settings and the buttons of messages posted before the restart', async () => {
    const ada = world.students[0];
    const quiz = await ada.run('quiz');
    await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '23:59',
      timezone: 'Pacific/Kiritimati',
    });
    await world.instructor.run('daily post');
    const post = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!;
    await ada.click(post, 'Answer');
    expect(textOf((await ada.submitModal('Before the restart')).message)).toContain('saved');

    await world.restartBot();
    expect(world.bot.logs.join('\n')).toMatch(/"changed":false/);

    await ada.click(quiz.message!, 'Answer');
    expect(textOf((await ada.submitModal('After the restart')).message)).toContain('Saved');
    await ada.click(post, 'Answer');
    expect(textOf((await ada.submitModal('Twice')).message)).toMatch(/already received/);
    expect(textOf((await world.instructor.run('setup show')).message)).toContain('23:59 Pacific/Kiritimati');
    expect(textOf((await world.instructor.run('review')).message)).toMatch(/2 left/);
    expect(world.fake.channelMessages(world.guild.cohortChannel.id)).toHaveLength(1);
    world.expectHealthy();
  });

  it('a second process on the same DATA_DIR refuses to start and the first is unharmed', async () => {
    // Waits for the second process to end, however long a busy machine takes to start it.
    const second = await runScript(MAIN_ENTRY, [], {
      DISCORD_TOKEN: world.fake.token,
      DISCORD_API_URL: world.fake.apiUrl,
      DATA_DIR: world.dataDir,
    });
    expect(second.stderr).toMatch(/Another bot process \(pid \d+\) is already using the embedded database/);
    expect(second.code).toBe(EXIT.needsOperator);
    const still = await world.students[1].run('quiz');
    expect(textOf(still.message)).toContain('Practice question');
    world.expectHealthy();
  });
});
