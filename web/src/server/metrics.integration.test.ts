import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import type { TAuthUser } from '@avatar-adam/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/metrics/route';
import { createCaller } from './api/root';
import { unreachableLiveKit } from './api/routers/test-support';
import { createTRPCContext } from './api/trpc';

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
});
afterAll(() => t?.close());

const callerFor = (user: TAuthUser) =>
  createCaller(
    createTRPCContext({
      db: t.db,
      session: { user, expires: new Date(Date.now() + 3600_000).toISOString() },
      livekit: unreachableLiveKit('metrics'),
      logger: pino({ level: 'silent' }),
    }),
  );

describe('web metrics', () => {
  it('times every procedure by outcome and counts refusals, served in Prometheus text format', async () => {
    await callerFor(users.lakeside.trainee).scenario.list();
    await callerFor(users.lakeside.trainee).scenario.list();
    await expect(callerFor(users.lakeside.trainee).phone.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The same history page twice within its 2 s cache: one computation, one hit.
    await callerFor(users.lakeside.manager).history.list({});
    await callerFor(users.lakeside.manager).history.list({});

    const res = await GET(new Request('http://localhost/api/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    // One sample's value, whatever order prom-client writes the labels in.
    const sample = (name: string, labels: string[]) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const seconds = 'avatar_adam_trpc_procedure_duration_seconds_count';
    expect(sample(seconds, ['procedure="scenario.list"', 'type="query"', 'outcome="ok"', 'service="web"'])).toBe(2);
    expect(sample(seconds, ['procedure="phone.overview"', 'outcome="refused"'])).toBe(1);
    expect(sample('avatar_adam_trpc_procedure_errors_total', ['procedure="phone.overview"', 'code="FORBIDDEN"'])).toBe(1);
    expect(text).toContain('avatar_adam_web_process_resident_memory_bytes');
    expect(sample('avatar_adam_cache_misses_total', ['cache="history_list"'])).toBeGreaterThanOrEqual(1);
    expect(sample('avatar_adam_cache_hits_total', ['cache="history_list"', 'tier="local"'])).toBeGreaterThanOrEqual(1);
  });
});
