import { schema, type TAuthUser } from '@avatar-adam/db';
import { createOtherDealership, createTestDb } from '@avatar-adam/db/testing';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKitService } from '../../livekit';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
});
afterAll(() => t.close());

function listAs(user: Pick<TAuthUser, 'id' | 'role' | 'dealershipId'>) {
  const session = {
    user: { ...user, email: `${user.id}@x.example`, name: 'Someone' },
    expires: new Date(Date.now() + 60_000).toISOString(),
  };
  // scenario.list never reaches LiveKit.
  const livekit = {} as LiveKitService;
  return createCaller(createTRPCContext({ db: t.db, session, livekit, logger: pino({ level: 'silent' }) }))
    .scenario.list();
}

describe('scenario.list', () => {
  it("lists the caller's dealership scenarios and the platform-wide ones, never another dealership's", async () => {
    const [lakesideOnly] = await t.db
      .select({ id: schema.scenarios.id })
      .from(schema.scenarios)
      .where(eq(schema.scenarios.dealershipId, t.seeded.dealershipId));

    const mine = await listAs({ id: t.seeded.userIds.trainee!, role: 'trainee', dealershipId: t.seeded.dealershipId });
    const theirs = await listAs({ id: other.traineeId, role: 'trainee', dealershipId: other.dealershipId });

    expect(mine.map((s) => s.id)).toContain(lakesideOnly!.id);
    expect(theirs.map((s) => s.id)).not.toContain(lakesideOnly!.id);
    expect(theirs.every((s) => s.isPlatform)).toBe(true);
    expect(new Set(mine.map((s) => s.mode))).toEqual(new Set(['coach', 'roleplay']));
  });

  it("shows the persona's name but not the personality notes that script the customer", async () => {
    const [first] = await listAs({ id: t.seeded.userIds.trainee!, role: 'trainee', dealershipId: t.seeded.dealershipId });
    expect(first!.personaName).toEqual(expect.any(String));
    expect(JSON.stringify(first)).not.toMatch(/personality|background/);
  });
});
