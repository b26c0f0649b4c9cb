import { practiceSessions } from '@avatar-adam/db/schema';
import { desc, eq } from 'drizzle-orm';
import { RoomServiceClient } from 'livekit-server-sdk';
import { expect } from 'vitest';
import { sessionRow, traineeCaller, waitFor } from '../../harness/app';
import { signIn, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

/**
 * A network blip mid-session: the browser goes offline for a few seconds (its signalling
 * connection drops), the page says it is reconnecting, and when the network is back the same
 * session carries on in the same room with the agent — nothing is restarted or lost.
 */
export async function traineeSurvivesNetworkBlip(suite: TBrowserSuite): Promise<void> {
  const s = suite.stack;
  const { page, log, screenshot } = await suite.openPage('network-blip');
  const timer = suite.timer('network blip');
  await signIn(page, 'trainee', '/practice', 'Practice');
  const coach = (await traineeCaller(s).scenario.list()).find((sc) => sc.mode === 'coach')!;
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: coach.title, exact: true }) });
  await card.getByRole('button', { name: 'Start practice' }).click();
  await visible(page.getByRole('status').filter({ hasText: /^Live$/ }), 60_000);
  const [row] = await s.db
    .select()
    .from(practiceSessions)
    .where(eq(practiceSessions.traineeId, s.seeded.userIds.trainee!))
    .orderBy(desc(practiceSessions.createdAt))
    .limit(1);
  timer.phase('live');

  await page.context().setOffline(true);
  await visible(page.getByTestId('connection-status').filter({ hasText: 'Reconnecting' }), 30_000);
  await screenshot('network-blip-reconnecting');
  timer.phase('reconnecting shown');
  await page.waitForTimeout(3000); // the blip itself: offline for a few seconds
  await page.context().setOffline(false);
  await visible(page.getByTestId('connection-status').filter({ hasText: 'Connection:' }), 45_000);
  timer.phase('reconnected');

  // Same session, still live, the trainee and the agent still in its room; the page kept the room.
  expect((await sessionRow(s, row!.id)).status).toBe('live');
  const rooms = new RoomServiceClient(s.livekit.url, s.livekit.apiKey, s.livekit.apiSecret);
  const participants = await waitFor('trainee and agent in the room', () => rooms.listParticipants(row!.roomName), (p) => p.length === 2, 20_000);
  expect(participants.map((p) => p.identity)).toContain(s.seeded.userIds.trainee);
  await visible(page.getByRole('button', { name: 'End session' }));
  await screenshot('network-blip-back');

  await page.getByRole('button', { name: 'End session' }).click();
  const ended = await waitFor('session ended', () => sessionRow(s, row!.id), (r) => r.status === 'ended', 30_000);
  expect(ended.endReason).toBe('trainee_left');
  expect(unexpectedPageErrors(log)).toEqual([]);
  timer.done();
}
