import { findRepoRoot } from '@avatar-adam/db';
import path from 'node:path';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appUrl, env } from '@/env';
import { createTRPCContext, type TRPCContext } from './api/trpc';
import { isServerError } from './api/errors';
import { appRouter } from './api/root';
import { createPlatformProbe, type TPlatformProbe } from './api/routers/admin-health-probe';
import { getSession } from './auth/session';
import { getDb } from './db';
import { createLiveKitService, type LiveKitService } from './livekit';
import { logger, requestIdFrom } from './logger';
import { createPhoneService, type PhoneService } from './phone';
import { createMailer } from './mail';
import { createResetLimiter, type TResetLimiter } from './auth/reset-limiter';
import { getRedis } from './redis';
import { createSessionPresence, type TSessionPresence } from './presence';

let livekit: LiveKitService | undefined;
let platform: TPlatformProbe | undefined;
let resetLimiter: TResetLimiter | undefined;
let phone: PhoneService | undefined;
let presence: TSessionPresence | undefined;

function getPhone(): PhoneService {
  phone ??= createPhoneService({
    pinSecret: env.PHONE_PIN_SECRET,
    dialHint: env.PHONE_DIAL_HINT,
    apiUrl: env.LIVEKIT_URL,
    apiKey: env.LIVEKIT_API_KEY,
    apiSecret: env.LIVEKIT_API_SECRET,
    agentName: env.AGENT_NAME,
    allowedAddresses: env.SIP_ALLOWED_ADDRESSES?.split(',').map((a) => a.trim()).filter(Boolean) ?? [],
    auth: env.SIP_AUTH_USERNAME && env.SIP_AUTH_PASSWORD ? { username: env.SIP_AUTH_USERNAME, password: env.SIP_AUTH_PASSWORD } : undefined,
  });
  return phone;
}

function getPlatformProbe(): TPlatformProbe {
  platform ??= createPlatformProbe({
    livekit: { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    agentHealthUrls: (env.AGENT_HEALTH_URLS ?? `http://127.0.0.1:${env.AGENT_HTTP_PORT}`).split(',').map((u) => u.trim()).filter(Boolean),
    agentName: env.AGENT_NAME,
    providerSettings: {
      stt: env.AGENT_STT,
      llm: env.AGENT_LLM,
      tts: env.AGENT_TTS,
      embeddings: env.AGENT_EMBEDDINGS,
      openaiKey: Boolean(env.OPENAI_API_KEY),
      // Host only: a base URL can carry credentials in its user-info part.
      openaiBaseUrl: env.OPENAI_BASE_URL ? new URL(env.OPENAI_BASE_URL).host : null,
      elevenlabsKey: Boolean(env.ELEVENLABS_API_KEY),
    },
    modelsDir: env.AVATAR_ADAM_MODELS_DIR ? path.resolve(env.AVATAR_ADAM_MODELS_DIR) : path.join(findRepoRoot(), '.models'),
  });
  return platform;
}

/** Built on first use rather than at import, so `next build` needs no LiveKit configuration. */
function getLiveKit(): LiveKitService {
  livekit ??= createLiveKitService({
    apiUrl: env.LIVEKIT_URL,
    publicUrl: env.PUBLIC_LIVEKIT_URL ?? env.LIVEKIT_URL,
    apiKey: env.LIVEKIT_API_KEY,
    apiSecret: env.LIVEKIT_API_SECRET,
    agentName: env.AGENT_NAME,
  });
  return livekit;
}

/**
 * The tRPC context of one request inside Next (route handler or server component): the real
 * session, database, LiveKit and mailer. Tests build theirs with `createTRPCContext` directly.
 */
export async function createRequestContext(opts: { requestId: string }) {
  const [session, { db }] = await Promise.all([getSession(), getDb()]);
  return createTRPCContext({
    db,
    session,
    livekit: getLiveKit(),
    // Mail is enqueued on the request's database and sent by the job worker.
    mailer: createMailer({ db }),
    appUrl,
    // One per process (per Redis when configured): a per-request limiter would never limit.
    resetLimiter: (resetLimiter ??= createResetLimiter(getRedis())),
    presence: (presence ??= createSessionPresence({ redis: getRedis(), logger: logger.child({ component: 'presence' }) })),
    phone: getPhone(),
    platform: getPlatformProbe(),
    logger: logger.child({ userId: session?.user.id }),
    requestId: opts.requestId,
  });
}

/**
 * One tRPC HTTP request: its id (the caller's `x-request-id` when sane, else new) is on every log
 * line of the request, including its error line, and goes back as the `x-request-id` header so a
 * trainee's report or a proxy log leads to those lines. `createContext` is replaceable for tests.
 */
export async function handleTrpcRequest(
  req: Request,
  createContext: (requestId: string) => Promise<TRPCContext> = (requestId) => createRequestContext({ requestId }),
): Promise<Response> {
  const requestId = requestIdFrom(req.headers.get('x-request-id'));
  const response = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext(requestId),
    onError({ error, path, ctx }) {
      // Without a context (creating it failed) the line still carries the request id.
      const log = ctx?.logger ?? logger.child({ requestId });
      // Client mistakes (bad input, not signed in) are expected; failures on our side are not.
      // A stack trace only for those: a signed-out request is one line, not forty.
      if (isServerError(error.code)) log.error({ path, code: error.code, err: error.cause ?? error }, 'trpc error');
      else log.info({ path, code: error.code, reason: error.message }, 'trpc request refused');
    },
  });
  response.headers.set('x-request-id', requestId);
  return response;
}
