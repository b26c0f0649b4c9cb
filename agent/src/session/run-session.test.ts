import { type JobContext, initializeLogger } from '@livekit/agents';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type TProcData, runPracticeSession } from './run-session';

beforeAll(() => {
  initializeLogger({ pretty: false, level: 'fatal' });
});

function fakeJob(metadata: string) {
  const shutdown = vi.fn();
  const connect = vi.fn();
  const ctx = { job: { id: 'AJ_test', metadata, room: { name: 'practice-x' } }, shutdown, connect };
  return { ctx: ctx as unknown as JobContext<TProcData>, shutdown, connect };
}

describe('runPracticeSession with a bad dispatch', () => {
  it.each([
    ['empty metadata', ''],
    ['missing fields', JSON.stringify({ sessionId: '3f8c2a9e-1b7d-4c55-9a51-2d7e8f0b6c14' })],
  ])('%s: ends the job without joining the room or throwing', async (_label, metadata) => {
    const { ctx, shutdown, connect } = fakeJob(metadata);
    await expect(runPracticeSession(ctx)).resolves.toBeUndefined();
    expect(shutdown).toHaveBeenCalledWith('invalid job metadata');
    expect(connect).not.toHaveBeenCalled();
  });
});
