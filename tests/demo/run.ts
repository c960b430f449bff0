import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONDITION_TIMEOUT_MS, startBot } from '../support/botProcess.ts';
import { FakeDiscord, type FakeMessage } from '../fake-discord/index.ts';
import { Transcript } from './transcript.ts';

/**
 * `npm run demo`: the real bot against the local Discord, playing a short cohort session
 * (a daily post, students answering, an instructor grading, the leaderboard), printed as a transcript.
 */
const fake = await FakeDiscord.start();
const guild = fake.createGuild({ name: 'Bootcamp Cohort 7', channelName: 'cohort' });
const grace = guild.addInstructor('Grace');
const [ada, linus, margaret] = [guild.addStudent('Ada'), guild.addStudent('Linus'), guild.addStudent('Margaret')];
const transcript = new Transcript(
  new Map([
    ...[grace, ada, linus, margaret].map((actor): [string, string] => [actor.id, actor.name]),
    [guild.cohortChannel.id, guild.cohortChannel.name ?? 'cohort'],
  ]),
  'Europe/Berlin',
);
/** The text the bot filled into a modal's input. */
const filledValue = (raw: unknown) => JSON.stringify(raw).match(/"value":"((?:[^"\\]|\\.)*)"/)?.[1] ?? '';
const textOf = (message: FakeMessage) => JSON.stringify(message.embeds);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-demo-'));

transcript.say('Starting the bot (embedded database in a temporary directory, local Discord, no token needed)…');
const bot = await startBot({
  env: {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: guild.id,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  },
});
try {
  transcript.say('The bot is ready.');
  transcript.say('Grace: /setup daily channel:#cohort time:09:00 timezone:Europe/Berlin');
  transcript.show(
    (
      await grace.run('setup daily', {
        channel: { id: guild.cohortChannel.id },
        time: '09:00',
        timezone: 'Europe/Berlin',
      })
    ).message,
  );

  transcript.say('Grace: /daily post');
  await grace.run('daily post');
  const post = fake.lastChannelMessage(guild.cohortChannel.id)!;
  transcript.say('The bot posts in #cohort:');
  transcript.show(post);

  transcript.say('Linus clicks [Remind me]');
  transcript.show((await linus.click(post, 'Remind me')).message);

  const answers: [typeof ada, string][] = [
    [ada, 'JWT is a JSON Web Token: a signed token with claims about the user, used for authentication.'],
    [linus, 'It is a token.'],
    [margaret, 'A way to encrypt passwords so nobody can read them.'],
  ];
  const receipts = new Map<string, FakeMessage>();
  for (const [student, text] of answers) {
    transcript.say(`${student.name} clicks [Answer] and submits: "${text}"`);
    await student.click(post, 'Answer');
    const receipt = (await student.submitModal(text)).message!;
    receipts.set(student.id, receipt);
    transcript.show(receipt);
  }

  const better = 'It is a signed token that carries claims about the user, used to authenticate requests.';
  transcript.say('Linus clicks [Edit] on his receipt: the form opens with his answer filled in');
  const editForm = await linus.click(receipts.get(linus.id)!, 'Edit');
  transcript.note(`The form "${editForm.modal?.title}" holds: "${filledValue(editForm.modal?.raw)}"`);
  transcript.say(`Linus replaces it with: "${better}"`);
  await linus.submitModal(better);
  transcript.say('His receipt now shows the new version:');
  transcript.show(fake.message(receipts.get(linus.id)!.id));

  transcript.say('Ada: /quiz topic:Testing');
  const quiz = await ada.run('quiz', { topic: 'Testing' });
  transcript.show(quiz.message);
  const practice =
    'Unit tests check one function alone, integration tests check parts working together like routes and the database, end-to-end tests run the whole app like a user.';
  transcript.say(`Ada clicks [Answer] and submits: "${practice}"`);
  await ada.click(quiz.message!, 'Answer');
  transcript.show((await ada.submitModal(practice)).message);

  transcript.say('Grace: /review kind:daily');
  let card = (await grace.run('review', { kind: 'daily' })).message!;
  transcript.show(card);
  for (const grade of ['Correct', 'Partial', 'Incorrect']) {
    transcript.say(`Grace clicks [${grade}]`);
    card = (await grace.click(card, grade)).message!;
    transcript.show(card);
  }

  await fake.waitFor(() => ada.dms().length > 0 && linus.dms().length > 0, CONDITION_TIMEOUT_MS, 'the grade DMs');
  transcript.say('The bot sends Ada a direct message:');
  transcript.show(ada.dms()[0]);
  transcript.note(
    'The review card showed the points of the grade alone (+3 for Correct); the message gives all the points of the answer: 1 for answering the daily question + 3 for Correct = 4.',
  );

  transcript.say('Ada clicks [Edit] on her receipt after the grade');
  transcript.show((await ada.click(receipts.get(ada.id)!, 'Edit')).message);

  const gradeNotice = linus.dms().find((message) => message.embeds.length > 0)!;
  transcript.say('Linus gets his grade by direct message:');
  transcript.show(gradeNotice);
  const reason = 'My edited answer says it is signed and carries claims, the two key points.';
  transcript.say(`Linus clicks [Ask for a regrade] in the DM and gives his reason: "${reason}"`);
  await linus.clickInDms(gradeNotice, 'Ask for a regrade');
  transcript.show((await linus.submitModal(reason)).message);

  transcript.say('Grace: /review kind:regrade requests');
  const request = (await grace.run('review', { kind: 'regrade' })).message!;
  transcript.show(request);
  transcript.say('Grace clicks [Comment] and writes: "Right: signed, with claims. Full marks."');
  await grace.click(request, 'Comment');
  const commented = (await grace.submitModal('Right: signed, with claims. Full marks.')).message!;
  transcript.say('Grace clicks [Correct]');
  transcript.show((await grace.click(commented, 'Correct')).message);
  await fake.waitFor(
    () => linus.dms().some((message) => textOf(message).includes('Regrade request:')),
    CONDITION_TIMEOUT_MS,
    'the decision DM',
  );
  transcript.say('The bot sends Linus the decision:');
  transcript.show(linus.dms().at(-1));

  transcript.say('Grace: /daily close');
  await grace.run('daily close');
  await fake.waitFor(
    () => fake.channelMessages(guild.cohortChannel.id).length >= 2,
    CONDITION_TIMEOUT_MS,
    'the reveal',
  );
  transcript.say('The bot edits the daily post and posts the reveal in #cohort:');
  transcript.show(fake.message(post.id));
  transcript.show(fake.lastChannelMessage(guild.cohortChannel.id));

  transcript.say('Linus: /leaderboard');
  transcript.show((await linus.run('leaderboard')).message);
  transcript.note(
    'Ada: 4 points for the daily answer graded Correct, 2 for her first practice answer, suggested Correct. Linus: 1 + 3 for Correct after his regrade (1 for Partial before). Margaret: 1 for answering.',
  );
  transcript.say('Ada: /me (with the chart of her points per week and per topic)');
  transcript.show((await ada.run('me')).message);
  transcript.say('Grace: /stats (with the chart of answers per question and daily participation)');
  transcript.show((await grace.run('stats')).message);
  transcript.say('Session over.');
} finally {
  await bot.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
