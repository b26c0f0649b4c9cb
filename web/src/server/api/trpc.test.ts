import { AppError, type Db, type TAuthUser } from '@avatar-adam/db';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { pino } from 'pino';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LiveKitService } from '../livekit';
import {
  createCallerFactory,
  createTRPCContext,
  createTRPCRouter,
  managerProcedure,
  protectedProcedure,
  publicProcedure,
  serializeOnce,
  superAdminProcedure,
  tenantProcedure,
} from './trpc';

// None of these procedures touch the database or LiveKit; the levels and the error path are
// what is under test here (the routers' own tests use a real database).
const router = createTRPCRouter({
  open: publicProcedure.query(() => 'ok'),
  whoami: protectedProcedure.query(({ ctx }) => ctx.session.user.email),
  tenant: tenantProcedure.query(({ ctx }) => ctx.dealershipId),
  manager: managerProcedure.query(() => 'manager ok'),
  admin: superAdminProcedure.query(() => 'admin ok'),
  fail: publicProcedure.input(z.object({ code: z.string() })).query(({ input }) => {
    if (input.code === 'crash') throw new Error('connection to 10.0.0.5:5432 refused');
    if (input.code === 'db-down') {
      // As drizzle reports a query whose connection could not be made: the driver error as cause.
      throw new Error('Failed query: select 1', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }) });
    }
    throw new AppError(input.code as AppError['code'], {
      message: `internal detail for ${input.code}`,
      userMessage: input.code === 'INTERNAL' ? undefined : `Readable ${input.code} message.`,
    });
  }),
  typed: publicProcedure.input(z.object({ scenarioId: z.uuid() })).mutation(() => 'ok'),
  cached: publicProcedure.query(() => cachedOutput),
  fresh: publicProcedure.query(() => ({ at: new Date('2025-01-01T00:00:00Z'), n: 1 })),
});
const cachedOutput = serializeOnce({ at: new Date('2025-01-01T00:00:00Z'), n: 1 });

const LAKESIDE = '11111111-1111-4111-8111-111111111111';
const users = {
  trainee: { id: 'u-trainee', email: 't@x.example', name: 'Tom', role: 'trainee', dealershipId: LAKESIDE },
  manager: { id: 'u-manager', email: 'm@x.example', name: 'Maria', role: 'dealership_admin', dealershipId: LAKESIDE },
  admin: { id: 'u-admin', email: 'a@x.example', name: 'Ada', role: 'super_admin', dealershipId: null },
} satisfies Record<string, TAuthUser>;

/**
 * Only the tenant guard reads the database here (the dealership's status, one select); this
 * stand-in answers that one query shape with the status the test asks for.
 */
function statusDb(status: 'active' | 'suspended' | null): Db {
  const rows = status ? [{ status }] : [];
  return { select: () => ({ from: () => ({ where: () => ({ limit: () => Promise.resolve(rows) }) }) }) } as unknown as Db;
}

function context(user: TAuthUser | null, dealershipStatus: 'active' | 'suspended' | null = 'active') {
  return createTRPCContext({
    db: statusDb(dealershipStatus),
    session: user ? { user, expires: new Date(Date.now() + 60_000).toISOString() } : null,
    livekit: {} as LiveKitService,
    logger: pino({ level: 'silent' }),
  });
}
const callerAs = (user: TAuthUser | null, dealershipStatus?: 'active' | 'suspended' | null) =>
  createCallerFactory(router)(context(user, dealershipStatus));

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe('procedure levels', () => {
  it('refuses every guarded level to a signed-out caller with UNAUTHORIZED', async () => {
    const caller = callerAs(null);
    expect(await caller.open()).toBe('ok');
    for (const call of [caller.whoami(), caller.tenant(), caller.manager(), caller.admin()]) {
      expect(await codeOf(call)).toBe('UNAUTHORIZED');
    }
  });

  it('refuses a trainee the manager and super-admin procedures with FORBIDDEN', async () => {
    const caller = callerAs(users.trainee);
    expect(await caller.whoami()).toBe('t@x.example');
    expect(await codeOf(caller.manager())).toBe('FORBIDDEN');
    expect(await codeOf(caller.admin())).toBe('FORBIDDEN');
  });

  it("scopes tenant procedures to the caller's own dealership", async () => {
    expect(await callerAs(users.trainee).tenant()).toBe(LAKESIDE);
    expect(await callerAs(users.manager).manager()).toBe('manager ok');
  });

  it('refuses everyone of a suspended (or deleted) dealership with a message saying so', async () => {
    for (const status of ['suspended', null] as const) {
      for (const user of [users.trainee, users.manager]) {
        const error = await callerAs(user, status).tenant().then(() => null, (e: unknown) => e);
        expect(error).toMatchObject({ code: 'FORBIDDEN', cause: { userMessage: expect.stringMatching(/suspended/) } });
      }
      expect(await codeOf(callerAs(users.manager, status).manager())).toBe('FORBIDDEN');
    }
    // The platform operator belongs to no dealership and is unaffected.
    expect(await callerAs(users.admin, 'suspended').admin()).toBe('admin ok');
  });

  it('keeps a super admin (no dealership) out of tenant procedures but lets them administer', async () => {
    const caller = callerAs(users.admin);
    expect(await codeOf(caller.tenant())).toBe('FORBIDDEN');
    expect(await codeOf(caller.manager())).toBe('FORBIDDEN');
    expect(await caller.admin()).toBe('admin ok');
  });
});

describe('AppError → tRPC error mapping', () => {
  it.each([
    ['NOT_FOUND', 'NOT_FOUND'],
    ['FORBIDDEN', 'FORBIDDEN'],
    ['CONFLICT', 'CONFLICT'],
    ['BAD_REQUEST', 'BAD_REQUEST'],
    ['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS'],
    ['UNAVAILABLE', 'SERVICE_UNAVAILABLE'],
    ['INTERNAL', 'INTERNAL_SERVER_ERROR'],
  ])('%s thrown by a procedure reaches callers as %s', async (appCode, trpcCode) => {
    expect(await codeOf(callerAs(null).fail({ code: appCode }))).toBe(trpcCode);
  });
});

/** Over HTTP, as the browser sees it: status, `userMessage`, and nothing internal. */
async function httpError(path: string, init?: { input: unknown; method?: 'GET' | 'POST' }) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize(init?.input)));
  const url = `http://localhost/api/trpc/${path}`;
  const req =
    init?.method === 'POST'
      ? new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(superjson.serialize(init.input)),
        })
      : new Request(init ? `${url}?input=${input}` : url);
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router, createContext: () => context(null) });
  const body = (await res.json()) as { error: Parameters<typeof superjson.deserialize>[0] };
  const error = superjson.deserialize(body.error) as {
    message: string;
    data: { code: string; httpStatus: number; userMessage: string; zodError: unknown; stack?: string };
  };
  return { status: res.status, error };
}

async function httpData(path: string) {
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req: new Request(`http://localhost/api/trpc/${path}`), router, createContext: () => context(null) });
  const body = (await res.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
  return superjson.deserialize(body.result.data);
}

describe('output serialization', () => {
  it('sends cached outputs as serialized when registered, with their types intact', async () => {
    expect(await httpData('fresh')).toEqual({ at: new Date('2025-01-01T00:00:00Z'), n: 1 });
    expect(await httpData('cached')).toEqual({ at: new Date('2025-01-01T00:00:00Z'), n: 1 });
    // Registered values must not be mutated; doing it here shows the response was not re-serialized.
    cachedOutput.n = 2;
    expect(await httpData('cached')).toMatchObject({ n: 1 });
  });
});

describe('errorFormatter', () => {
  it("sends an AppError's userMessage with the matching HTTP status", async () => {
    const { status, error } = await httpError('fail', { input: { code: 'NOT_FOUND' } });
    expect(status).toBe(404);
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', userMessage: 'Readable NOT_FOUND message.' });
  });

  it('hides internal details of server-side failures from the browser', async () => {
    for (const code of ['INTERNAL', 'crash']) {
      const { status, error } = await httpError('fail', { input: { code } });
      expect(status).toBe(500);
      expect(error.data.userMessage).toBe('Something went wrong on our side. Please try again.');
      expect(JSON.stringify({ message: error.message, userMessage: error.data.userMessage })).not.toMatch(
        /internal detail|10\.0\.0\.5/,
      );
    }
  });

  it('answers "temporarily unavailable" (503), not a bug, while the database cannot be reached', async () => {
    const { status, error } = await httpError('fail', { input: { code: 'db-down' } });
    expect(status).toBe(503);
    expect(error.data.userMessage).toBe('The practice service is temporarily unavailable. Please try again shortly.');
    expect(JSON.stringify({ message: error.message, userMessage: error.data.userMessage })).not.toMatch(/10\.0\.0\.5/);
  });

  it('tells a signed-out browser to sign in', async () => {
    const { status, error } = await httpError('whoami');
    expect(status).toBe(401);
    expect(error.data.userMessage).toMatch(/sign in/i);
  });

  it('keeps the flattened zod error for invalid input', async () => {
    const { status, error } = await httpError('typed', { input: { scenarioId: 'nope' }, method: 'POST' });
    expect(status).toBe(400);
    expect(error.data.zodError).toMatchObject({ fieldErrors: { scenarioId: [expect.any(String)] } });
    expect(error.data.userMessage).toMatch(/not valid/);
  });
});
