import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { practiceSessions } from '@avatar-adam/db/schema';
import { DEMO_PASSWORD, DEMO_USERS } from '@avatar-adam/db/seed';
import { desc, eq } from 'drizzle-orm';
import { RoomServiceClient, TrackSource, TrackType } from 'livekit-server-sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { sessionRow, traineeCaller, waitFor } from '../harness/app';
import { AUDIBLE_RMS, AUDIO_PROBE, launchChromium, readAudioProbe, waitForProbe, writeSpeechWav } from '../harness/browser';
import { startTestStack, type TestStack } from '../harness/stack';
import { startWebApp, type TestWebApp } from '../harness/web';

/**
 * The foundation's promise, in a real browser: a seeded trainee signs in through the form, starts
 * a role-play and hears the agent greet them through a real LiveKit room. Chromium (headless, fake
 * microphone playing a flite WAV) ↔ `next dev` ↔ embedded database ↔ livekit-server ↔ agent worker.
 */
let stack: TestStack | undefined;
let web: TestWebApp | undefined;
// Kept as promises so that afterAll can stop whatever is still starting when beforeAll gives up.
let stackStarting: Promise<TestStack> | undefined;
let webStarting: Promise<TestWebApp> | undefined;
let browser: Promise<Browser> | undefined;
let workDir: string | undefined;

const startedAt = Date.now();
const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-browser-'));
  const fakeMicWav = writeSpeechWav(path.join(workDir, 'trainee.wav'), 'Hello, I am ready to go over the paperwork.', 8);
  // Chromium starts while the stack comes up; it needs nothing from it.
  browser = launchChromium({ fakeMicWav });
  browser.catch(() => {});
  stack = await (stackStarting = startTestStack());
  const stackUp = seconds(startedAt);
  const webStartedAt = Date.now();
  web = await (webStarting = startWebApp(stack));
  await browser;
  process.stdout.write(`[browser] stack up in ${stackUp}, web app (next dev, routes compiled) in ${seconds(webStartedAt)}\n`);
}, 300_000);

afterAll(async () => {
  // Every step runs even when an earlier one failed, and each one ends: the startups time out on
  // their own, closing the browser is bounded, and stop() escalates to SIGKILL.
  await withTimeout(browser?.then((b) => b.close()), 60_000).catch(() => {});
  await webStarting?.then((w) => w.stop()).catch(() => {});
  await stackStarting?.then((st) => st.stop()).catch(() => {});
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 300_000);

describe('practice in the browser', () => {
  let context: BrowserContext | undefined;
  afterAll(async () => {
    await withTimeout(context?.close(), 10_000).catch(() => {});
  });

  it('a trainee signs in, starts a role-play, hears the agent greet them, and leaves', async () => {
    const s = stack!;
    const pageLog: string[] = [];
    let page: Page | undefined;
    onTestFailed(async () => {
      const probe = page ? await readAudioProbe(page).catch(() => null) : null;
      process.stderr.write(
        [
          `audio probe: ${JSON.stringify(probe)}`,
          `page console tail:\n${pageLog.slice(-30).join('\n')}`,
          `web log tail:\n${web?.process.tail().slice(-20).join('\n')}`,
          `agent log tail:\n${s.agent.tail().slice(-30).join('\n')}`,
          `(logs in ${s.logDir}; AVATAR_ADAM_TEST_KEEP_LOGS=1 keeps them)`,
        ].join('\n') + '\n',
      );
    });

    context = await (await browser!).newContext({ baseURL: web!.url });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    await page.addInitScript({ content: AUDIO_PROBE });
    // The page's console goes next to the other process logs (browser.log).
    const logPage = (line: string) => {
      pageLog.push(line);
      appendFileSync(path.join(s.logDir, 'browser.log'), `${new Date().toISOString()} ${line}\n`);
    };
    page.on('console', (m) => logPage(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logPage(`[pageerror] ${e.message}`));

    const testStartedAt = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} +${seconds(testStartedAt)}`);
    // Sign in through the real form.
    const trainee = DEMO_USERS.find((u) => u.role === 'trainee')!;
    await page.goto('/practice');
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(trainee.email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/practice$/);
    await expect.poll(() => page!.getByRole('heading', { name: 'Practice', level: 1 }).isVisible()).toBe(true);
    phase('signed in');

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
    phase('heard');
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
    phase('live');
    const rooms = new RoomServiceClient(s.livekit.url, s.livekit.apiKey, s.livekit.apiSecret);
    const participants = await rooms.listParticipants(row!.roomName);
    const person = participants.find((p) => p.identity === s.seeded.userIds.trainee);
    const agent = participants.find((p) => p !== person);
    expect(participants).toHaveLength(2);
    expect(agent?.tracks.some((t) => t.type === TrackType.AUDIO)).toBe(true);
    expect(person?.tracks.some((t) => t.type === TrackType.AUDIO && t.source === TrackSource.MICROPHONE)).toBe(true);
    // The page polls the session's status; it shows "Live" within its polling interval.
    await expect
      .poll(() => page!.getByRole('status').filter({ hasText: /^Live$/ }).count(), { timeout: 15_000 })
      .toBe(1);
    phase('"Live" shown');

    // Leave with the page's own control: the room closes, the session ends and the results view
    // (scorecard, once scored) replaces the room; from there, back to the scenarios.
    await page.getByRole('button', { name: 'End session' }).click();
    const back = page.getByRole('button', { name: 'Back to scenarios' });
    await expect.poll(() => back.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('audio').count()).toBe(0);
    const ended = await waitFor('session ended', () => sessionRow(s, row!.id), (r) => r.status === 'ended', 30_000);
    await back.click();
    await expect.poll(() => startButton.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(ended.endReason).toBe('trainee_left');
    phase('ended');
    expect(ended.endedAt!.getTime()).toBeGreaterThanOrEqual(live.liveAt!.getTime());
    expect(pageLog.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    process.stdout.write(`[browser] browser flow took ${seconds(testStartedAt)} (${phases.join(', ')}); ${seconds(startedAt)} since the file started\n`);
  });
});

function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  if (!promise) return Promise.resolve(undefined);
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
