import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

/**
 * The agent worker's configuration, validated once at start. Defaults give the embedded
 * development setup: a local `livekit-server --dev` and the embedded database.
 */
export const env = createEnv({
  server: {
    LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).default('ws://127.0.0.1:7880'),
    LIVEKIT_API_KEY: z.string().min(1).default('devkey'),
    // The development key pair of livekit.yaml; production sets its own.
    LIVEKIT_API_SECRET: z.string().min(1).default('avatar-adam-dev-secret-not-for-production'),
    /** The worker only joins rooms explicitly dispatched to this name. */
    AGENT_NAME: z.string().min(1).default('avatar-adam'),
    /** Unset → the embedded database (see `createDb` in @avatar-adam/db). */
    DATABASE_URL: z.string().optional(),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    /** Voice used when a persona's voice hint names no installed voice. */
    AGENT_TTS_VOICE_DEFAULT: z.string().min(1).optional(),
    /** The worker's health-check HTTP port (agents-js default 8081); tests give each stack its own. */
    AGENT_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** Seconds of silence before the agent checks in on a quiet trainee. */
    AGENT_IDLE_SECONDS: z.coerce.number().min(5).max(300).default(20),
    /** A practice session's hard limit; the agent wraps up and ends it. */
    AGENT_MAX_SESSION_MINUTES: z.coerce.number().min(1).max(240).default(30),
    /** Trainee speech (ms) that pauses the agent mid-sentence; shorter reacts faster, longer ignores more noise. */
    AGENT_INTERRUPTION_MIN_MS: z.coerce.number().int().min(50).max(2000).default(150),
    /**
     * Key of the phone PINs' HMAC (shared with the web app, which issues the PINs). Unset → callers
     * can still be identified by a registered caller ID, but PINs cannot be checked.
     */
    PHONE_PIN_SECRET: z.string().min(32).optional(),
    /** Seconds a caller has to start entering their PIN before being asked again. */
    PHONE_PIN_TIMEOUT_SECONDS: z.coerce.number().min(3).max(60).default(12),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  onValidationError: (issues) => {
    // Fail before the logger exists, with one line an operator can act on.
    process.stderr.write(`${formatEnvIssues(issues)}\n`);
    process.exit(1);
  },
});

export function formatEnvIssues(
  issues: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[],
): string {
  const parts = issues.map((issue) => {
    const key = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    return key ? `${key}: ${issue.message}` : issue.message;
  });
  return `Invalid agent environment: ${parts.join('; ')}`;
}
