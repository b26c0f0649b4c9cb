/**
 * The tRPC server: what every procedure receives (context), how errors leave the server
 * (initialisation), and the procedure levels routers build on (router & procedures).
 *
 * Nothing here imports Next: the route handler injects the session, database and LiveKit client,
 * so tests call procedures through `createCaller` against a real database.
 */
import { AppError, getDealershipStatus, getSessionForViewer, isAppError, isDatabaseUnavailable, type Db } from '@avatar-adam/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import type { Session } from 'next-auth';
import type { Logger } from 'pino';
import superjson from 'superjson';
import { z } from 'zod';
import { createResetLimiter, type TResetLimiter } from '../auth/reset-limiter';
import type { LiveKitService } from '../livekit';
import type { Mailer } from '../mail';
import { webMetrics } from '../metrics';
import { traceProcedure } from '../tracing-spans';
import { type PhoneService, phoneDisabled } from '../phone';
import { heartbeatOnlyPresence, type TSessionPresence } from '../presence';
import { flattenedZodErrorOf, isServerError, toTRPCError, userMessageOf } from './errors';
import type { TPlatformProbe } from './routers/admin-health-probe';

/* ---------------------------------------------------------------------------------------------
 * 1. CONTEXT
 * ------------------------------------------------------------------------------------------- */

export type TRPCContextOptions = {
  db: Db;
  /** The next-auth session of the caller, or null when signed out. */
  session: Session | null;
  livekit: LiveKitService;
  /**
   * Invitation and password-reset emails. The request context always provides it; it is optional
   * so tests of routers that never send mail need not build one (sending then fails loudly).
   */
  mailer?: Mailer;
  /** The base of links in emails, e.g. `https://train.example.com`. */
  appUrl?: string;
  /** Password-reset emails per address; the request context passes the process-wide one. */
  resetLimiter?: TResetLimiter;
  /** Phone practice (PINs, SIP provisioning); disabled when not given. */
  phone?: PhoneService;
  /** LiveKit, agent workers and models as the super admin's health page sees them. */
  platform?: TPlatformProbe;
  /** Which live sessions an agent still serves (Redis presence); heartbeat only when not given. */
  presence?: TSessionPresence;
  logger: Logger;
  /**
   * This request's id (`x-request-id`), bound on `logger` so every line of the request carries it,
   * and passed on to what the request starts (the agent's dispatch). New when not given.
   */
  requestId?: string;
};

export function createTRPCContext(opts: TRPCContextOptions) {
  const requestId = opts.requestId ?? randomUUID();
  return {
    requestId,
    db: opts.db,
    session: opts.session,
    livekit: opts.livekit,
    mailer: opts.mailer ?? noMailer,
    appUrl: opts.appUrl ?? 'http://localhost:3000',
    resetLimiter: opts.resetLimiter ?? createResetLimiter(),
    phone: opts.phone ?? phoneDisabled,
    platform: opts.platform ?? noPlatformProbe,
    presence: opts.presence ?? heartbeatOnlyPresence,
    logger: opts.logger.child({ requestId }),
  };
}

const noPlatform = () => Promise.reject(new Error('no platform probe in this tRPC context'));
const noPlatformProbe: TPlatformProbe = {
  checkLiveKit: noPlatform,
  checkAgentWorkers: noPlatform,
  listInstalledModels: noPlatform,
  providerSettings: { stt: 'unknown', llm: 'unknown', tts: 'unknown', embeddings: 'unknown', openaiKey: false, openaiBaseUrl: null, elevenlabsKey: false },
};

const noMailer: Mailer = {
  send: () => Promise.reject(new Error('no mailer in this tRPC context')),
};

export type TRPCContext = ReturnType<typeof createTRPCContext>;

/* ---------------------------------------------------------------------------------------------
 * 2. INITIALISATION
 * ------------------------------------------------------------------------------------------- */

/*
 * A value a procedure serves from a cache is the same object on every hit; registered here, it is
 * turned into superjson once instead of per response (a team dashboard costs 2–10 ms to walk).
 * Such values must never be mutated after registering.
 */
const serializedOnce = new WeakMap<object, ReturnType<typeof superjson.serialize>>();

/** Registers a cached procedure output for one-time serialization; returns it unchanged. */
export function serializeOnce<T extends object>(value: T): T {
  serializedOnce.set(value, superjson.serialize(value));
  return value;
}

const outputTransformer = {
  serialize: (value: unknown) => (value !== null && typeof value === 'object' && serializedOnce.get(value)) || superjson.serialize(value),
  deserialize: (value: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize(value),
};

const t = initTRPC.context<TRPCContext>().create({
  transformer: { input: superjson, output: outputTransformer },
  errorFormatter({ shape, error }) {
    const userMessage = userMessageOf(error);
    return {
      ...shape,
      // Server-side failures keep their details in the logs, not in the browser.
      message: isServerError(error.code) ? userMessage : shape.message,
      data: { ...shape.data, userMessage, zodError: flattenedZodErrorOf(error) },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/* ---------------------------------------------------------------------------------------------
 * 3. ROUTER & PROCEDURES
 * ------------------------------------------------------------------------------------------- */

/**
 * Domain functions throw AppError; here it becomes a TRPCError with the matching code, so HTTP
 * clients and `createCaller` users alike see NOT_FOUND rather than INTERNAL_SERVER_ERROR. A
 * database that cannot be reached answers SERVICE_UNAVAILABLE ("try again shortly"), not a bug.
 */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTRPCError(result.error.cause);
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(result.error.cause)) {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable', cause: result.error.cause });
  }
  return result;
});

/** Every call's duration and outcome, for the Prometheus endpoint (`/api/metrics`). */
const timed = t.middleware(async ({ path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const { procedureSeconds, procedureErrors } = webMetrics();
  const outcome = result.ok ? 'ok' : isServerError(result.error.code) ? 'server_error' : 'refused';
  procedureSeconds.observe({ procedure: path, type, outcome }, (performance.now() - started) / 1000);
  if (!result.ok) procedureErrors.inc({ procedure: path, code: result.error.code });
  return result;
});

/**
 * A span per call when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT): procedure, outcome and the
 * caller's dealership. Outermost, so the procedure's own work and what it dispatches nest inside.
 */
const traced = t.middleware(({ ctx, path, type, next }) =>
  traceProcedure({ path, type, dealershipId: ctx.session?.user?.dealershipId }, () => next()),
);

export const publicProcedure = t.procedure.use(traced).use(timed).use(appErrors);

/** Signed in; `ctx.session.user` is non-null from here on. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const session = ctx.session;
  if (!session?.user) {
    throw new AppError('UNAUTHORIZED', {
      message: 'no session',
      userMessage: 'Your session has ended. Please sign in again.',
    });
  }
  return next({ ctx: { session } });
});

/**
 * Scopes the procedure to the caller's dealership: `ctx.dealershipId` is what every query of
 * tenant data filters on, and it only ever comes from the session, never from input. The
 * dealership must be active: a session outlives a suspension (it is a JWT good for a shift), so
 * the status is read on every request, one primary-key lookup.
 */
export const tenantProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const dealershipId = ctx.session.user.dealershipId;
  if (!dealershipId) {
    throw new AppError('FORBIDDEN', {
      message: `user ${ctx.session.user.id} has no dealership`,
      userMessage: 'This page is for dealership staff. Your account is not part of a dealership.',
    });
  }
  const status = await getDealershipStatus({ db: ctx.db, dealershipId });
  if (status !== 'active') {
    throw new AppError('FORBIDDEN', {
      message: `dealership ${dealershipId} is ${status ?? 'gone'}`,
      userMessage: 'Your dealership’s AvatarAdam account is suspended. Please contact your platform administrator.',
    });
  }
  return next({ ctx: { dealershipId } });
});

/** Dealership admins (managers), within their own dealership. */
export const managerProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== 'dealership_admin') {
    throw new AppError('FORBIDDEN', {
      message: `role ${ctx.session.user.role} is not a manager`,
      userMessage: 'Only managers can do that.',
    });
  }
  return next();
});

/**
 * One practice session the caller may look at, loaded as `ctx.practiceSession`: their own, or any
 * of their dealership for a manager. Anything else is NOT_FOUND rather than FORBIDDEN, so session
 * ids cannot be probed for existence.
 */
export const sessionViewerProcedure = tenantProcedure
  .input(z.object({ sessionId: z.uuid() }))
  .use(async ({ ctx, input, next }) => {
    const practiceSession = await getSessionForViewer({
      db: ctx.db,
      sessionId: input.sessionId,
      dealershipId: ctx.dealershipId,
      viewer: ctx.session.user,
    });
    if (!practiceSession) {
      throw new AppError('NOT_FOUND', {
        message: `session ${input.sessionId} not visible to user ${ctx.session.user.id}`,
        userMessage: 'That practice session does not exist.',
      });
    }
    return next({ ctx: { practiceSession } });
  });

/** Platform operators; they act across dealerships, so no tenant scope is applied. */
export const superAdminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== 'super_admin') {
    throw new AppError('FORBIDDEN', {
      message: `role ${ctx.session.user.role} is not a super admin`,
      userMessage: 'Only platform administrators can do that.',
    });
  }
  return next();
});
