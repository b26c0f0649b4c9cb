import { RoomEvent } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { expect } from 'vitest';
import { synthesizeWav } from '../../../agent/src/providers/flite-process';
import { parsePcmWav } from '../../../agent/src/providers/wav';
import { managerCaller, sessionRow, traineeCaller, waitFor } from '../../harness/app';
import { waitForProbe } from '../../harness/browser';
import { TestParticipant } from '../../harness/participant';
import { demoUser, signIn, speakersOf, textMatches, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

const SENTENCE = 'Thanks for choosing us today, let me walk you through your paperwork.';
/** Words of SENTENCE that Whisper gets right even on a busy machine (it has heard "paper word"). */
const SAID = /choosing us|walk you through/i;

/**
 * A manager in the browser listens to a trainee's live role-play (the trainee is a real WebRTC
 * participant publishing speech): the session appears in /observe, Listen opens it, the live
 * transcript shows both sides as they speak, the trainee's room never sees the observer, and the
 * page says so when the session ends.
 */
export async function managerObserves(suite: TBrowserSuite): Promise<void> {
  const s = suite.stack;
  const { page, log, screenshot } = await suite.openPage('manager-observe', { audioProbe: true });
  const timer = suite.timer('manager observes');
  await signIn(page, 'dealership_admin', '/observe', 'Observe');
  timer.phase('signed in');

  const trainee = demoUser('trainee');
  const caller = traineeCaller(s);
  const scenario = (await caller.scenario.list()).find((sc) => sc.mode === 'roleplay')!;
  const started = await caller.session.start({ scenarioId: scenario.id });
  const traineeSide = new TestParticipant();
  let left = false;
  try {
    await traineeSide.join(started.serverUrl, started.token);
    await traineeSide.publishMicrophone();
    // Everyone the trainee's client is ever told about, from here on.
    const seenByTrainee: string[] = [];
    traineeSide.room.on(RoomEvent.ParticipantConnected, (p) => seenByTrainee.push(p.identity));

    // The list refreshes by itself; Listen is offered once the agent has made the session live.
    const listen = page.getByRole('button', { name: `Listen to ${trainee.name}: ${scenario.title}` });
    await expect.poll(() => listen.isEnabled({ timeout: 1_000 }).catch(() => false), { timeout: 45_000 }).toBe(true);
    timer.phase('listed live');
    // The manager arrives after the greeting was spoken and recorded: its live text stream is over.
    await traineeSide.waitForAgentReply(0, 45_000);
    const recorded = await waitFor(
      'the greeting recorded',
      async () => (await managerCaller(s).history.transcript({ sessionId: started.sessionId })).turns,
      (turns) => turns.some((t) => t.speaker === 'agent'),
      20_000,
    );
    await listen.click();
    await visible(page.getByRole('heading', { name: scenario.title, level: 2 }));
    await visible(page.getByRole('heading', { name: 'Live transcript', level: 3 }));
    await textMatches(page.getByTestId('observed-agent-state'), new RegExp(`^${escapeRegExp(scenario.personaName)} is (listening|speaking|thinking)`), 30_000);
    timer.phase('listening');
    // What was said before the manager joined is shown from the record, above the live lines.
    const greeting = recorded.find((t) => t.speaker === 'agent')!;
    const earlierLine = page.locator('[data-earlier][data-speaker="agent"]').filter({ hasText: greeting.text.slice(0, 40) });
    await visible(earlierLine.first(), 10_000);
    timer.phase('earlier lines shown');

    // The trainee answers the greeting; the agent replies. Both appear in the manager's page.
    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: SENTENCE }))!);
    const endOfSpeech = await traineeSide.say(wav.samples, wav.sampleRate);
    const lines = page.getByRole('region', { name: 'Live transcript' }).getByRole('listitem');
    const traineeLine = lines.filter({ hasText: SAID }).and(page.locator('[data-speaker="trainee"]'));
    await visible(traineeLine.first(), 45_000);
    expect(await traineeLine.first().innerText()).toContain(trainee.name);
    await traineeSide.waitForAgentReply(endOfSpeech, 60_000);
    await expect
      .poll(async () => (await speakersOf(lines)).join(' '), { timeout: 15_000 })
      .toMatch(/trainee.* agent/);
    const agentLines = page.locator('[data-speaker="agent"]');
    expect(await agentLines.last().innerText()).toContain(scenario.personaName);
    // Heard as well as read: the page plays the room's audio.
    await waitForProbe(page, 'the session to be heard in the manager’s page', (p) => p.firstAudibleAt !== null, 10_000);
    timer.phase('both sides shown');
    await screenshot('observe-live-transcript');

    // Hidden: LiveKit has the observer in the room as a hidden participant; the trainee never hears of it.
    const rooms = new RoomServiceClient(s.livekit.url, s.livekit.apiKey, s.livekit.apiSecret);
    const observers = (await rooms.listParticipants(started.roomName)).filter((p) => p.identity.startsWith('observer-'));
    expect(observers).toHaveLength(1);
    expect(observers[0]!.permission).toMatchObject({ hidden: true, canPublish: false });
    expect([...traineeSide.room.remoteParticipants.keys()]).toEqual([traineeSide.agent!.identity]);
    expect(seenByTrainee.filter((id) => id.startsWith('observer-'))).toEqual([]);

    // The trainee leaves: the manager's page says the session is over and links to its record.
    left = true;
    await traineeSide.leave();
    await waitFor('session ended', () => sessionRow(s, started.sessionId), (r) => r.status === 'ended', 30_000);
    await visible(page.getByRole('status').filter({ hasText: 'This session has ended.' }), 20_000);
    await visible(page.getByRole('link', { name: 'Open the transcript and scorecard' }));
    timer.phase('ended');
    await screenshot('observe-ended');
    expect(unexpectedPageErrors(log)).toEqual([]);
    timer.done();
  } finally {
    if (!left) await traineeSide.leave().catch(() => {});
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
