import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';
import {
  LIVEKIT_DEV_DEFAULTS,
  ZDatabaseUrl,
  ZLiveKitUrl,
  ZRedisUrl,
  checkLiveKitTogether,
  exitOnConfigIssues,
  zSecret,
} from '@avatar-adam/db/config-rules';

const isProduction = process.env.NODE_ENV === 'production';

/**
 * Development only: lets a fresh clone sign in without any setup. Anyone who knows this value can
 * forge sessions, which is why production refuses to start without a real NEXTAUTH_SECRET.
 */
const DEV_ONLY_NEXTAUTH_SECRET = 'avatar-adam-dev-only-secret-never-use-in-production';

/**
 * Server configuration, validated once at start (instrumentation imports this module): every
 * problem is listed in one message and the server exits 1. Defaults give the embedded mode: PGlite
 * database and a local `livekit-server --dev` (keys devkey/secret).
 */
export const env = createEnv({
  server: {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Unset → the embedded PGlite database (shared through `npm run dev` when it is running). */
    DATABASE_URL: ZDatabaseUrl.optional(),
    NEXTAUTH_SECRET: isProduction
      ? z.string({ error: 'NEXTAUTH_SECRET is required in production (at least 32 random characters)' }).pipe(zSecret('NEXTAUTH_SECRET'))
      : z.string().min(1).default(DEV_ONLY_NEXTAUTH_SECRET),
    NEXTAUTH_URL: z.url().optional(),
    /**
     * Where this server reaches the LiveKit API (room service); ws:// or http:// both work. URL, key
     * and secret go together (all three, or none for the local server; see createFinalSchema).
     */
    LIVEKIT_URL: ZLiveKitUrl.optional(),
    /**
     * Where browsers connect, returned by `session.start` so no build-time variable is needed.
     * Defaults to LIVEKIT_URL, which is right when browser and server run on the same machine.
     */
    PUBLIC_LIVEKIT_URL: z.url().optional(),
    LIVEKIT_API_KEY: z.string().min(1).optional(),
    LIVEKIT_API_SECRET: z.string().min(1).optional(),
    /** The agent worker's registered name; rooms dispatch exactly this agent. */
    AGENT_NAME: z.string().min(1).default('avatar-adam'),
    /** The base of links in emails (invitations, password resets); defaults to NEXTAUTH_URL. */
    APP_URL: z.url().optional(),
    /**
     * redis://… shared by every web instance: rate limits, the dashboard/history caches, and the
     * agents' session presence. Unset → in-process counts and caches.
     */
    REDIS_URL: ZRedisUrl.optional(),
    /**
     * Turns phone practice on: the key of the trainees' PIN HMAC, shared with the agent. Changing it
     * invalidates every PIN.
     */
    PHONE_PIN_SECRET: zSecret('PHONE_PIN_SECRET').optional(),
    /** Development: how to dial a practice number without a carrier, e.g. sip:{number}@127.0.0.1:5060. */
    PHONE_DIAL_HINT: z.string().includes('{number}').optional(),
    /** Comma-separated CIDRs of the SIP carrier allowed to place calls into practice lines. */
    SIP_ALLOWED_ADDRESSES: z.string().optional(),
    /** Digest credentials the carrier must present on inbound calls (both or neither). */
    SIP_AUTH_USERNAME: z.string().min(1).optional(),
    SIP_AUTH_PASSWORD: z.string().min(12).optional(),
    /**
     * Agent workers' health servers, comma-separated, for the super admin's health page. Unset →
     * the local worker on AGENT_HTTP_PORT (agents-js default 8081), as `npm run dev` runs it.
     */
    AGENT_HEALTH_URLS: z.string().optional(),
    AGENT_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
    /*
     * The agent's provider settings, read here only to show them on the health page (the agent
     * validates and uses them); set them on the web server too when it runs apart from the agent.
     */
    AGENT_STT: z.string().default('auto'),
    AGENT_LLM: z.string().default('auto'),
    AGENT_TTS: z.string().default('auto'),
    AGENT_EMBEDDINGS: z.string().default('auto'),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.url().optional(),
    ELEVENLABS_API_KEY: z.string().optional(),
    /** Where local model weights are installed; unset → `<repo>/.models`, as in the agent. */
    AVATAR_ADAM_MODELS_DIR: z.string().optional(),
    /** Bearer token Prometheus must present at /api/metrics; unset = open (private networks only). */
    METRICS_TOKEN: z.string().min(16).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * An OpenTelemetry collector's OTLP/HTTP base URL (e.g. http://otel-collector:4318): the server
     * sends its traces to `<url>/v1/traces` (JSON). Unset → no tracing, no exporter.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  createFinalSchema: (shape) =>
    z
      .object(shape)
      .superRefine(checkLiveKitTogether)
      .superRefine((v, ctx) => {
        if (!v.SIP_AUTH_USERNAME === !v.SIP_AUTH_PASSWORD) return;
        const missing = v.SIP_AUTH_USERNAME ? 'SIP_AUTH_PASSWORD' : 'SIP_AUTH_USERNAME';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'SIP digest credentials go together: set SIP_AUTH_USERNAME and SIP_AUTH_PASSWORD, or neither' });
      })
      .transform((v) => ({
        ...v,
        LIVEKIT_URL: v.LIVEKIT_URL ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_URL,
        LIVEKIT_API_KEY: v.LIVEKIT_API_KEY ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_API_KEY,
        LIVEKIT_API_SECRET: v.LIVEKIT_API_SECRET ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_API_SECRET,
      })),
  onValidationError: exitOnConfigIssues('web app'),
  // `next build` evaluates server modules to collect page data; secrets belong to the running
  // server, not to the build, so validation happens when the server starts instead.
  skipValidation:
    process.env.NEXT_PHASE === 'phase-production-build' || !!process.env.SKIP_ENV_VALIDATION,
});

/** Where links in emails point: APP_URL, else NEXTAUTH_URL, else the local dev server. */
export const appUrl = (env.APP_URL ?? env.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

export const isDevSecret = env.NEXTAUTH_SECRET === DEV_ONLY_NEXTAUTH_SECRET;
