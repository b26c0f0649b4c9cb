import { itAppliesTheSharedRules, loadEnvModule } from '@avatar-adam/db/config-rules-testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

const loadEnv = (vars: Record<string, string>) => loadEnvModule(() => import('./env'), vars);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('web configuration at start', () => {
  itAppliesTheSharedRules('web app', loadEnv);

  it('refuses a production server without a real NEXTAUTH_SECRET', async () => {
    const { exitCode, printed } = await loadEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'too-short' });
    expect(exitCode).toBe(1);
    expect(printed).toContain('- NEXTAUTH_SECRET: NEXTAUTH_SECRET must be at least 32 characters');
    expect((await loadEnv({ NODE_ENV: 'production' })).printed).toContain('NEXTAUTH_SECRET is required in production');
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
