import { getPracticeSession, listScenariosForDealership, startPracticeSession } from '@avatar-adam/db';
import { createTestDb } from '@avatar-adam/db/testing';
import { initializeLogger, log } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionEnder } from './session-end';

let testDb: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  testDb = await createTestDb();
});
afterAll(() => testDb?.close());

async function newSession() {
  const { db, seeded } = testDb;
  const [scenario] = await listScenariosForDealership({ db, dealershipId: seeded.dealershipId });
  return startPracticeSession({
    db,
    dealershipId: seeded.dealershipId,
    traineeId: seeded.userIds.trainee!,
    scenarioId: scenario!.id,
    channel: 'web',
  });
}

async function row(sessionId: string) {
  const { db, seeded } = testDb;
  return (await getPracticeSession({ db, sessionId, dealershipId: seeded.dealershipId }))!;
}

describe('createSessionEnder (embedded database)', () => {
  it('records why the session really ended: the trainee leaving, not the shutdown that follows', async () => {
    const session = await newSession();
    const end = createSessionEnder({ db: testDb.db, sessionId: session.id, logger: log() });
    await Promise.all([end('trainee_left'), end('agent_shutdown')]);
    await end('agent_error', 'failed');
    const ended = await row(session.id);
    expect(ended.status).toBe('ended');
    expect(ended.endReason).toBe('trainee_left');
    expect(ended.endedAt).toBeInstanceOf(Date);
  });

  /** The database drops the next `failures` writes (updates or transactions), as a lost connection would. */
  function flaky(failures: number) {
    let left = failures;
    return new Proxy(testDb.db, {
      get(target, prop, receiver) {
        if ((prop === 'update' || prop === 'transaction') && left > 0) {
          left--;
          return () => {
            throw new Error('connection reset');
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  }

  it('retries a failed write', async () => {
    const session = await newSession();
    await createSessionEnder({ db: flaky(1), sessionId: session.id, logger: log() })('trainee_left');
    expect(await row(session.id)).toMatchObject({ status: 'ended', endReason: 'trainee_left' });
  });

  it('keeps the first reason when its writes all failed and a later caller retries', async () => {
    const session = await newSession();
    const end = createSessionEnder({ db: flaky(3), sessionId: session.id, logger: log() });
    await end('trainee_left');
    expect((await row(session.id)).status).toBe('pending');
    await end('agent_shutdown');
    expect(await row(session.id)).toMatchObject({ status: 'ended', endReason: 'trainee_left' });
  });

  it('marks a session that could not start as failed', async () => {
    const session = await newSession();
    await createSessionEnder({ db: testDb.db, sessionId: session.id, logger: log() })('agent_error', 'failed');
    expect(await row(session.id)).toMatchObject({ status: 'failed', endReason: 'agent_error' });
  });
});
