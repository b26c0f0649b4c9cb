import { dataDir, findRepoRoot } from '@avatar-adam/db';
import path from 'node:path';
import { appUrl, env } from '@/env';
import { createTRPCContext } from './api/trpc';
import { createPlatformProbe, type TPlatformProbe } from './api/routers/admin-health-probe';
import { getSession } from './auth/session';
import { getDb } from './db';
import { createLiveKitService, type LiveKitService } from './livekit';
import { logger } from './logger';
import { createPhoneService, type PhoneService } from './phone';
import { createMailer, type Mailer } from './mail';
import { createResetLimiter, type TResetLimiter } from './auth/reset-limiter';
import { getRedis } from './redis';

let livekit: LiveKitService | undefined;
let mailer: Mailer | undefined;
let platform: TPlatformProbe | undefined;
let resetLimiter: TResetLimiter | undefined;
let phone: PhoneService | undefined;

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

function getMailer(): Mailer {
  mailer ??= createMailer({
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    fileDir: path.join(dataDir(), 'mail'),
    logger: logger.child({ component: 'mail' }),
  });
  return mailer;
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
    mailer: getMailer(),
    appUrl,
    // One per process (per Redis when configured): a per-request limiter would never limit.
    resetLimiter: (resetLimiter ??= createResetLimiter(getRedis())),
    phone: getPhone(),
    platform: getPlatformProbe(),
    logger: logger.child({ requestId: opts.requestId, userId: session?.user.id }),
  });
}
