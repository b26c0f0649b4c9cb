import { schema, type TAuthUser } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { eq } from 'drizzle-orm';
import { SipClient } from 'livekit-server-sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestLivekitWithRedis, startLivekitWithRedis } from '../../../../../test/harness/livekit-redis';
import { createPhoneService, type PhoneService } from '../../phone';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { unreachableLiveKit } from './test-support';

const PIN_SECRET = 'phone-router-test-secret-0123456789abcdef';

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let lk: TestLivekitWithRedis;
let phone: PhoneService;
let sip: SipClient;

beforeAll(async () => {
  [t, lk] = await Promise.all([createTestDb(), startLivekitWithRedis()]);
  users = await createTenantUsers(t);
  const { url, apiKey, apiSecret } = lk.livekit;
  phone = createPhoneService({ pinSecret: PIN_SECRET, dialHint: 'sip:{number}@127.0.0.1:5060', apiUrl: url, apiKey, apiSecret, agentName: 'avatar-adam-test', allowedAddresses: [] });
  sip = new SipClient(url, apiKey, apiSecret);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await lk?.stop();
});

const callerFor = (user: TAuthUser, service: PhoneService = phone) =>
  createCaller(
    createTRPCContext({
      db: t.db,
      session: { user, expires: new Date(Date.now() + 3600_000).toISOString() },
      livekit: unreachableLiveKit('phone routes'),
      phone: service,
      logger: pino({ level: 'silent' }),
    }),
  );

describe('phone router on a real LiveKit server', () => {
  it('provisions a trunk and a dispatch rule that sends callers to the agent with the line id', async () => {
    const manager = callerFor(users.lakeside.manager);
    const saved = await manager.phone.saveLine({ phoneNumber: '(312) 555-0100', defaultScenarioId: null });
    expect(saved).toMatchObject({ phoneNumber: '+13125550100', dial: 'sip:+13125550100@127.0.0.1:5060' });
    const [line] = await t.db.select().from(schema.phoneLines).where(eq(schema.phoneLines.dealershipId, t.seeded.dealershipId));
    const trunks = await sip.listSipInboundTrunk();
    expect(trunks.map((tr) => tr.sipTrunkId)).toEqual([line!.sipTrunkId]);
    expect(trunks[0]!.numbers).toEqual(['+13125550100']);
    const rules = await sip.listSipDispatchRule();
    expect(rules).toHaveLength(1);
    const dispatch = rules[0]!.roomConfig?.agents[0];
    expect(dispatch?.agentName).toBe('avatar-adam-test');
    expect(JSON.parse(dispatch!.metadata)).toEqual({ kind: 'phone', phoneLineId: line!.id });

    // Saving again replaces the SIP objects instead of adding a second trunk for the number.
    await manager.phone.saveLine({ phoneNumber: '+1 312 555 0100', defaultScenarioId: null });
    const after = await sip.listSipInboundTrunk();
    expect(after).toHaveLength(1);
    expect(after[0]!.sipTrunkId).not.toBe(line!.sipTrunkId);
    expect(await sip.listSipDispatchRule()).toHaveLength(1);
  });

  it("refuses another dealership's number without creating anything in LiveKit", async () => {
    const outsider = callerFor(users.outsiders.manager);
    await expect(outsider.phone.saveLine({ phoneNumber: '+13125550100', defaultScenarioId: null })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await sip.listSipInboundTrunk()).toHaveLength(1);
    const view = await outsider.phone.overview();
    expect(view.line).toBeNull();
    expect(view.trainees.map((u) => u.id)).toEqual([users.outsiders.trainee.id]);
  });

  it('keeps PINs to managers of the trainee’s own dealership; a member can make their own', async () => {
    const manager = callerFor(users.lakeside.manager);
    const { pin } = await manager.phone.issuePin({ traineeId: users.lakeside.trainee.id });
    expect(pin).toMatch(/^\d{6}$/);
    await expect(callerFor(users.outsiders.manager).phone.issuePin({ traineeId: users.lakeside.trainee.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(callerFor(users.outsiders.manager).phone.setCallerId({ traineeId: users.lakeside.trainee.id, callerId: '+15550100' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const trainee = callerFor(users.lakeside.secondTrainee);
    await expect(trainee.phone.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(trainee.phone.issuePin({ traineeId: users.lakeside.trainee.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(trainee.phone.saveLine({ phoneNumber: '+13125550199', defaultScenarioId: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await trainee.phone.mine()).toMatchObject({ enabled: true, hasPin: false, line: { phoneNumber: '+13125550100' } });
    const mine = await trainee.phone.issueMyPin();
    expect(mine.pin).toMatch(/^\d{6}$/);
    expect((await trainee.phone.mine()).hasPin).toBe(true);
    expect(await callerFor(users.outsiders.trainee).phone.mine()).toMatchObject({ line: null, hasPin: false });
  });

  it('says phone practice is off, and changes nothing, without a PIN secret', async () => {
    const off = createPhoneService({ apiUrl: lk.livekit.url, apiKey: lk.livekit.apiKey, apiSecret: lk.livekit.apiSecret, agentName: 'x', allowedAddresses: [] });
    const manager = callerFor(users.lakeside.manager, off);
    await expect(manager.phone.saveLine({ phoneNumber: '+13125550177', defaultScenarioId: null })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(manager.phone.issuePin({ traineeId: users.lakeside.trainee.id })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((await manager.phone.overview()).enabled).toBe(false);
    expect((await sip.listSipInboundTrunk())[0]!.numbers).toEqual(['+13125550100']);
  });

  it('removes the line and its SIP objects', async () => {
    await callerFor(users.lakeside.manager).phone.removeLine();
    expect(await sip.listSipInboundTrunk()).toHaveLength(0);
    expect(await sip.listSipDispatchRule()).toHaveLength(0);
    expect(await t.db.select().from(schema.phoneLines)).toHaveLength(0);
    await expect(callerFor(users.lakeside.manager).phone.removeLine()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
