import { listSessionTurns } from '@avatar-adam/db';
import { practiceSessions } from '@avatar-adam/db/schema';
import { desc, eq } from 'drizzle-orm';
import { RoomServiceClient, TrackSource, TrackType } from 'livekit-server-sdk';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { sessionRow, traineeCaller, waitFor } from '../../harness/app';
import { AUDIBLE_RMS, readAudioProbe, type TAudioProbe, waitForProbe } from '../../harness/browser';
import { signIn, speakersOf, textMatches, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

/** Words of TRAINEE_SENTENCE that Whisper gets right even on a busy machine (it has heard "paper word"). */
const SAID = /congratulations|walk you through/i;

/**
 * The trainee's whole practice in the page: sign in, start a role-play, hear the greeting, say a
 * sentence into the (fake) microphone, hear it answered and read both sides in the live
 * transcript, end, read the scorecard, and find the conversation again on the session's page.
 */
export async function traineePractises(suite: TBrowserSuite): Promise<void> {
  const s = suite.stack;
  const { page, log, screenshot } = await suite.openPage('trainee-practice', { audioProbe: true });
  const timer = suite.timer('trainee practice');
  const trainee = await signIn(page, 'trainee', '/practice', 'Practice');
  timer.phase('signed in');

  // The first role-play scenario as the page lists it.
  const scenario = (await traineeCaller(s).scenario.list()).find((sc) => sc.mode === 'roleplay')!;
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: scenario.title, exact: true }) });
  const startButton = card.getByRole('button', { name: 'Start practice' });
  let startAnsweredAt: number | null = null;
  page.on('response', (r) => {
    if (startAnsweredAt === null && r.url().includes('/api/trpc/session.start')) startAnsweredAt = Date.now();
  });
  await startButton.click();

  // Heard: a remote audio track plays in an <audio> element and carries sound.
  const heard = await waitForProbe(page, 'the agent to be heard', (p) => p.firstAudibleAt !== null, 45_000);
  timer.phase('heard');
  const clickAt = heard.clickAt!;
  const clickToAudio = heard.firstAudibleAt! - clickAt;
  const since = (t: number | null | undefined) => (t == null ? '—' : `+${t - clickAt} ms`);
  process.stdout.write(
    `[browser] Start practice click → first agent audio heard in the page: ${clickToAudio} ms ` +
      `(session.start answered ${since(startAnsweredAt)}, remote audio attached ${since(heard.tracks[0]?.attachedAt)}, ` +
      `playing ${since(heard.tracks[0]?.firstPlayingAt)}, agent state "speaking" ${since(heard.agentStates.speaking)}, ` +
      `first signal ${since(heard.firstSignalAt)}; target ≤ 2000 ms)\n`,
  );
  expect(clickToAudio).toBeGreaterThan(0);
  expect(heard.audioContextState).toBe('running');
  const track = heard.tracks.find((t) => t.firstAudibleAt !== null)!;
  expect(track).toMatchObject({ source: 'microphone', paused: false, muted: false, trackState: 'live' });
  expect(track.volume).toBeGreaterThan(0);

  // A greeting, not a click: at least half a second of sound, and the element's clock advancing.
  const greeting = await waitForProbe(page, 'half a second of greeting', (p) => p.audibleTicks >= 25, 20_000);
  expect(greeting.maxRms).toBeGreaterThan(AUDIBLE_RMS);
  expect(greeting.tracks.find((t) => t.trackId === track.trackId)!.currentTime).toBeGreaterThan(track.currentTime);
  await waitForProbe(page, 'the agent panel to show "speaking"', (p) => 'speaking' in p.agentStates, 20_000);

  // The database and LiveKit agree: the session went live, the agent and the trainee's (fake)
  // microphone are both published in its room.
  const [row] = await s.db
    .select()
    .from(practiceSessions)
    .where(eq(practiceSessions.traineeId, s.seeded.userIds.trainee!))
    .orderBy(desc(practiceSessions.createdAt))
    .limit(1);
  expect(row).toMatchObject({ scenarioId: scenario.id, channel: 'web' });
  const live = await waitFor('session live', () => sessionRow(s, row!.id), (r) => r.status === 'live', 30_000);
  expect(live.liveAt).toBeInstanceOf(Date);
  timer.phase('live');
  const rooms = new RoomServiceClient(s.livekit.url, s.livekit.apiKey, s.livekit.apiSecret);
  const participants = await rooms.listParticipants(row!.roomName);
  const person = participants.find((p) => p.identity === s.seeded.userIds.trainee);
  const agent = participants.find((p) => p !== person);
  expect(participants).toHaveLength(2);
  expect(agent?.tracks.some((t) => t.type === TrackType.AUDIO)).toBe(true);
  expect(person?.tracks.some((t) => t.type === TrackType.AUDIO && t.source === TrackSource.MICROPHONE)).toBe(true);
  // The page polls the session's status; it shows "Live" within its polling interval.
  await expect.poll(() => page.getByRole('status').filter({ hasText: /^Live$/ }).count(), { timeout: 15_000 }).toBe(1);
  timer.phase('"Live" shown');

  // The fake microphone says its sentence after the greeting; the agent panel goes through a turn
  // (thinking, then speaking) and back to listening once the reply has been said.
  const replied = await waitForProbe(page, 'the agent to answer the trainee', (p) => answeredAt(p) !== null, 90_000);
  expect(replied.audibleTicks).toBeGreaterThan(greeting.audibleTicks);
  timer.phase('answered');
  // The live transcript in the room shows both sides as they were said: the greeting, the
  // trainee's words (labelled "You"), the reply. The trainee's sentence may come as two segments
  // when the VAD ends one at its comma pause ("…your new car, let me…"); the agent waits for the
  // rest (its turn detector), so both come before the reply.
  const liveLines = page.getByRole('region', { name: 'Live transcript' }).getByRole('listitem');
  await expect.poll(async () => (await speakersOf(liveLines)).join(' '), { timeout: 15_000 }).toMatch(/^agent (?:trainee ){1,2}agent\b/);
  expect(await liveLines.nth(0).innerText()).toContain(scenario.personaName);
  await textMatches(liveLines.nth(1), new RegExp(`^You\\s+[\\s\\S]*(?:${SAID.source})`, 'i'));
  timer.phase('live transcript');
  await screenshot('practice-room');

  // Leave with the page's own control: the room closes, the session ends and the results view
  // shows the scorecard as soon as the agent has scored it.
  await page.getByRole('button', { name: 'End session' }).click();
  await visible(page.getByRole('heading', { name: 'Your scorecard', level: 3 }), 15_000);
  expect(await page.locator('audio').count()).toBe(0);
  const ended = await waitFor('session ended', () => sessionRow(s, row!.id), (r) => r.status === 'ended', 30_000);
  expect(ended.endReason).toBe('trainee_left');
  expect(ended.endedAt!.getTime()).toBeGreaterThanOrEqual(live.liveAt!.getTime());
  await expectScorecard(page, 45_000);
  timer.phase('scorecard shown');
  // The status badge catches up within its polling interval.
  await expect.poll(() => page.getByRole('status').filter({ hasText: /^Ended$/ }).count(), { timeout: 15_000 }).toBe(1);
  await screenshot('practice-results');
  const back = page.getByRole('button', { name: 'Back to scenarios' });
  await back.click();
  await visible(startButton, 15_000);

  // The session's page: the same scorecard, and every turn with who said it.
  await page.goto(`/sessions/${row!.id}`);
  await visible(page.getByRole('heading', { name: scenario.title, level: 1 }));
  const quotes = await expectScorecard(page, 10_000);
  const turns = page.getByRole('region', { name: 'Transcript' }).getByRole('listitem');
  const speakers = await speakersOf(turns);
  expect(speakers.slice(0, 3)).toEqual(['agent', 'trainee', 'agent']);
  expect(await turns.nth(0).innerText()).toContain(scenario.personaName);
  const said = await turns.nth(1).innerText();
  expect(said).toContain(trainee.name);
  expect(said).toMatch(SAID);
  // The evidence is what the trainee said, word for word.
  for (const quote of quotes) expect(said).toContain(quote);
  expect((await turns.nth(2).innerText()).replace(scenario.personaName, '').trim().length).toBeGreaterThan(3);
  // What the page shows is what was stored.
  const stored = await listSessionTurns({ db: s.db, sessionId: row!.id, dealershipId: s.seeded.dealershipId });
  expect(stored.map((t) => t.speaker)).toEqual(speakers);
  // The session's audio plays on the page: Chromium reads it through the audio route (it seeks
  // with byte ranges to learn an Ogg file's length) and knows how long the conversation was.
  const player = page.getByRole('region', { name: 'Recording' }).locator('audio[data-recording]');
  await expect.poll(() => player.count(), { timeout: 5_000 }).toBe(1);
  const seconds = await player.evaluate(
    (node) =>
      new Promise<number>((resolve, reject) => {
        // The tests' TypeScript has no DOM library; these are the media element's members used here.
        const el = node as unknown as {
          readyState: number;
          duration: number;
          error: { code: number; message: string } | null;
          addEventListener(type: string, listener: () => void, options?: { once: boolean }): void;
          load(): void;
        };
        if (el.readyState >= 1 && Number.isFinite(el.duration)) return resolve(el.duration);
        el.addEventListener('durationchange', () => Number.isFinite(el.duration) && resolve(el.duration));
        el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}: ${el.error?.message}`)), { once: true });
        el.load();
      }),
  );
  expect(seconds).toBeGreaterThan(((ended.endedAt!.getTime() - live.liveAt!.getTime()) / 1000) * 0.5);
  timer.phase('session page');
  await screenshot('session-page');

  const probe = await readAudioProbe(page).catch(() => null);
  expect(probe?.errors ?? []).toEqual([]);
  expect(unexpectedPageErrors(log)).toEqual([]);
  timer.done();
}

/** When the panel went back to listening after a reply that followed the greeting (thinking → speaking → listening). */
function answeredAt(probe: TAudioProbe): number | null {
  const states = probe.agentStateLog;
  const thinking = states.findIndex((e, i) => e.state === 'thinking' && states.slice(0, i).some((x) => x.state === 'speaking'));
  if (thinking < 0) return null;
  const speaking = states.findIndex((e, i) => i > thinking && e.state === 'speaking');
  const listening = states.findIndex((e, i) => i > speaking && speaking >= 0 && e.state === 'listening');
  return listening < 0 ? null : states[listening]!.at;
}

/**
 * A role-play scorecard as the trainee reads it: an overall score out of 100, the eight F&I steps
 * each scored out of 10, and at least one step earned with the trainee's own words quoted as
 * evidence. Returns the quotes.
 */
async function expectScorecard(page: Page, timeout: number): Promise<string[]> {
  await textMatches(page.locator('main'), /\b\d+ \/ 100\b/, timeout);
  const steps = page.getByRole('region', { name: 'F&I steps' }).getByRole('listitem');
  expect(await steps.count()).toBe(8);
  const scores = await steps.getByText(/^\d+ \/ 10$/).allInnerTexts();
  expect(scores).toHaveLength(8);
  expect(scores.some((score) => Number(score.split('/')[0]) > 0)).toBe(true);
  const quotes = (await steps.locator('blockquote').allInnerTexts()).map((q) => /“([\s\S]+)”/.exec(q)?.[1] ?? q);
  expect(quotes.length).toBeGreaterThan(0);
  return quotes;
}
