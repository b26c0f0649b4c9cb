import { createEnv } from '@t3-oss/env-core';
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

/**
 * The configuration of the agent worker and its job and ingestion processes, validated once at
 * start: every problem in one message, then exit 1. Defaults give the embedded development setup:
 * a local `livekit-server --dev` and the embedded database.
 */
export const env = createEnv({
  server: {
    /** URL, key and secret go together: all three for your server, none for the local one. */
    LIVEKIT_URL: ZLiveKitUrl.optional(),
    LIVEKIT_API_KEY: z.string().min(1).optional(),
    LIVEKIT_API_SECRET: z.string().min(1).optional(),
    /** The worker only joins rooms explicitly dispatched to this name. */
    AGENT_NAME: z.string().min(1).default('avatar-adam'),
    /** Unset → the embedded database (see `createDb` in @avatar-adam/db). */
    DATABASE_URL: ZDatabaseUrl.optional(),
    /**
     * redis://… shared with the web app: session presence (live sessions whose agent is gone
     * leave the observe list at once) and the question-embedding cache. Unset → in-process cache.
     */
    REDIS_URL: ZRedisUrl.optional(),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    /** Job worker: smtp(s)://user:pass@host:port for the `send-email` queue; unset → JSON files under `.data/mail/` plus a log line. */
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().min(3).default('AvatarAdam <no-reply@avatar-adam.local>'),
    /**
     * An OpenTelemetry collector's OTLP/HTTP base URL (e.g. http://otel-collector:4318): job
     * processes send their traces to `<url>/v1/traces` (JSON). Unset → no tracing, no exporter.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** Voice used when a persona's voice hint names no installed voice. */
    AGENT_TTS_VOICE_DEFAULT: z.string().min(1).optional(),
    /** The worker's health-check HTTP port (agents-js default 8081); tests give each stack its own. */
    AGENT_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /**
     * Job processes kept started and waiting for a session: a session given one does not wait for
     * Node and the agent's code to load (~0.5 s). 0 keeps none: the worker alone waits, and each
     * session starts its own job process. Raise it on machines with the cores and memory for more
     * simultaneous session starts.
     */
    AGENT_WARM_PROCESSES: z.coerce.number().int().min(0).max(16).default(1),
    /**
     * What a warm job process holds while it waits. `off` (default): only the code (~155 MB); the
     * VAD and the voice load when a session arrives, while it joins the room (~0.8 s on two cores,
     * the greeting comes that much later unless it is kept as audio: AGENT_GREETING_CACHE). `on`:
     * the engines too (~310 MB each), for the fastest greeting where memory allows.
     */
    AGENT_WARM_ENGINES: z.enum(['on', 'off']).default('off'),
    /**
     * Greetings kept as they were first synthesised by a local voice (one WAV per voice and text):
     * a session whose greeting is kept plays it while its voice loads, ~0.7 s sooner on two cores.
     * `off` synthesises every greeting.
     */
    AGENT_GREETING_CACHE: z.enum(['on', 'off']).default('on'),
    /** Where those greetings are kept; `<data dir>/greeting-audio` (`.data/` in development) by default. */
    AGENT_GREETING_CACHE_DIR: z.string().min(1).optional(),
    /** Prometheus `GET /metrics` of the worker and all its job processes (9464, the exporters' usual port); 0 = off. */
    AGENT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** The job worker's Prometheus `GET /metrics` (job wait and run time per queue); 0 = off. */
    JOBS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
    /** Bearer token Prometheus must present at the agent's /metrics; unset = open (private networks only). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /**
     * Seconds the agent waits for the trainee to join a session's room. A trainee who started a
     * session and never came (a closed tab, a lost connection) would otherwise keep a job process
     * and its session open for good: the agent's own presence keeps the room from closing.
     */
    AGENT_TRAINEE_JOIN_SECONDS: z.coerce.number().min(3).max(600).default(60),
    /**
     * A session whose agent has sent no heartbeat for this long (its worker crashed or was killed)
     * is marked failed, its turns kept, by any worker's maintenance pass. Shorter notices a dead
     * worker sooner at the cost of more heartbeat writes. The web app's live list counts a beat
     * as fresh for 45 s, hence the maximum.
     */
    AGENT_SESSION_LOST_SECONDS: z.coerce.number().min(6).max(45).default(45),
    /**
     * `on`: the local Piper voice is loaded once per agent worker, in a process of its own that the
     * worker's job processes synthesise through (~180 MB less in each job process; syntheses of
     * simultaneous sessions take turns, as they shared the CPU before). `off`: each job process
     * loads the voice itself.
     */
    AGENT_SHARED_VOICE: z.enum(['on', 'off']).default('on'),
    /** The shared voice process exits after this long without a session using it (the next one starts it again). */
    AGENT_SHARED_VOICE_IDLE_SECONDS: z.coerce.number().min(5).max(86_400).default(20),
    /** Seconds of silence before the agent checks in on a quiet trainee. */
    AGENT_IDLE_SECONDS: z.coerce.number().min(5).max(300).default(20),
    /** A practice session's hard limit; the agent wraps up and ends it. */
    AGENT_MAX_SESSION_MINUTES: z.coerce.number().min(1).max(240).default(30),
    /**
     * Trainee speech (ms) that pauses the agent mid-sentence. The VAD's speech duration keeps
     * counting through the 300 ms of silence that end a sound, so any sound the VAD takes for
     * speech pauses the agent whatever this is up to ~350 ms: a longer one only pauses later. At
     * ≤ 64 the agent pauses at the VAD's start of speech (two 32 ms windows above its threshold).
     */
    AGENT_INTERRUPTION_MIN_MS: z.coerce.number().int().min(50).max(2000).default(50),
    /**
     * A barge-in pause caused by a sound the VAD heard as speech for less than this (ms) — a cough,
     * a hum, a click — resumes as soon as the VAD ends it (300 ms of silence) instead of a second
     * later. Words recognised from it still interrupt, so a one-word "No." under it resumes the
     * reply for a moment, until its transcript stops it. `0` = off (every pause waits the second).
     */
    AGENT_SHORT_SOUND_MS: z.coerce.number().int().min(0).max(2000).default(400),
    /**
     * How the agent decides that the trainee has finished: `transcript` (default) reads the
     * transcript (session/turn-detector.ts) and answers after the scenario's shortest wait when it
     * sounds finished, waiting up to its longest when it trails off ("and…", "the", a comma);
     * `vad` always answers after the shortest wait of silence.
     */
    AGENT_TURN_DETECTION: z.enum(['transcript', 'vad']).default('transcript'),
    /**
     * `on`: the agent's audio stops the moment a barge-in pauses it (the audio still queued for the
     * room is taken back) and a resumed sentence goes on from the exact sample it stopped at.
     * `off`: agents-js's own behaviour, where up to 200 ms of queued audio plays on and is skipped
     * on resume. See patches/README.md.
     */
    AGENT_PAUSE_HOLDS_AUDIO: z.enum(['on', 'off']).default('on'),
    /**
     * Keep each session's audio (trainee left, agent right; Ogg Opus) for playback in its history.
     * `off` records nothing. On LiveKit Cloud, agents-js also uploads recorded sessions to the
     * project's Agent Observability.
     */
    SESSION_AUDIO_RECORDING: z.enum(['on', 'off']).default('on'),
    /**
     * Key of the phone PINs' HMAC (shared with the web app, which issues the PINs). Unset → callers
     * can still be identified by a registered caller ID, but PINs cannot be checked.
     */
    PHONE_PIN_SECRET: zSecret('PHONE_PIN_SECRET').optional(),
    /** Seconds a caller has to start entering their PIN before being asked again. */
    PHONE_PIN_TIMEOUT_SECONDS: z.coerce.number().min(3).max(60).default(12),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  createFinalSchema: (shape) =>
    z
      .object(shape)
      .superRefine(checkLiveKitTogether)
      .transform((v) => ({
        ...v,
        LIVEKIT_URL: v.LIVEKIT_URL ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_URL,
        LIVEKIT_API_KEY: v.LIVEKIT_API_KEY ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_API_KEY,
        LIVEKIT_API_SECRET: v.LIVEKIT_API_SECRET ?? LIVEKIT_DEV_DEFAULTS.LIVEKIT_API_SECRET,
      })),
  // Fails before the logger exists, with a message an operator can act on.
  onValidationError: exitOnConfigIssues('agent worker'),
});
