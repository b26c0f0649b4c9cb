import { loadEnvModule } from '@avatar-adam/db/config-rules-testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

const loadEnv = (vars: Record<string, string>) => loadEnvModule(() => import('./env'), vars);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('agent configuration at start', () => {
  it('runs on the embedded defaults with nothing set', async () => {
    const { env, exitCode } = await loadEnv({});
    expect(exitCode).toBeUndefined();
    expect(env).toMatchObject({ LIVEKIT_URL: 'ws://127.0.0.1:7880', LIVEKIT_API_KEY: 'devkey' });
    expect(env?.REDIS_URL).toBeUndefined();
  });

  it('exits 1 with one message naming every bad variable', async () => {
    const { exitCode, printed } = await loadEnv({
      DATABASE_URL: 'mysql://db/x',
      REDIS_URL: 'localhost:6379',
      LIVEKIT_URL: 'wss://lk.example.com',
      PHONE_PIN_SECRET: 'short',
    });
    expect(exitCode).toBe(1);
    expect(printed).toMatch(/^Cannot start the agent worker: invalid configuration \(4 problems\):/);
    expect(printed).toContain('- DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(printed).toContain('- REDIS_URL: must be a redis:// or rediss:// URL');
    expect(printed).toContain('- PHONE_PIN_SECRET: PHONE_PIN_SECRET must be at least 32 characters');
    expect(printed).toContain('- LIVEKIT_API_KEY: LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be too');
  });

  it('takes a production LiveKit and Redis when all their settings are given', async () => {
    const { env } = await loadEnv({
      LIVEKIT_URL: 'wss://lk.example.com',
      LIVEKIT_API_KEY: 'APIkey',
      LIVEKIT_API_SECRET: 'secret',
      REDIS_URL: 'rediss://cache.example.com:6380',
    });
    expect(env).toMatchObject({ LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'APIkey', REDIS_URL: 'rediss://cache.example.com:6380' });
  });
});
