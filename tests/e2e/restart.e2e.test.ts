import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../support/botProcess.ts';
import { startWorld, textOf, type World } from './world.ts';

describe('restarting the bot', () => {
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
    await world.instructor.run('setup daily', { channel: { id: world.guild.cohortChannel.id }, time: '23:59', timezone: 'Pacific/Kiritimati' });
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
    const second = startBot({
      env: { DISCORD_TOKEN: world.fake.token, DISCORD_API_URL: world.fake.apiUrl, DATA_DIR: world.dataDir },
      readyTimeoutMs: 15_000,
    });
    await expect(second).rejects.toThrow(/Another bot process \(pid \d+\) is already using the embedded database/);
    const still = await world.students[1].run('quiz');
    expect(textOf(still.message)).toContain('Practice question');
    world.expectHealthy();
  });
});
