import { expect, it, vi } from 'vitest';

/**
 * For the env modules' tests (web, agent): loads the module afresh with `vars` as the whole
 * environment and returns its `env`, or — when it refused to start — what it printed and the exit
 * code it asked for. `process.exit` is made to throw so the module's load stops where it would.
 * Call `vi.unstubAllGlobals()` and `vi.restoreAllMocks()` after each test.
 */
export async function loadEnvModule<TEnv>(importEnv: () => Promise<{ env: TEnv }>, vars: Record<string, string>) {
  vi.resetModules();
  vi.stubGlobal('process', Object.assign(Object.create(process) as NodeJS.Process, { env: { ...vars } }));
  let printed = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((printed += String(chunk)), true));
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  try {
    const { env } = await importEnv();
    return { env, printed, exitCode: undefined };
  } catch (error) {
    return { env: undefined, printed, exitCode: exit.mock.calls[0]?.[0], error };
  }
}

/**
 * The cases every process's configuration shares (the rules of config-rules.ts): the embedded
 * defaults with nothing set, and one message naming every bad shared variable. Call inside the
 * env test's `describe`; `app` is how the process names itself in that message.
 */
export function itAppliesTheSharedRules(
  app: string,
  loadEnv: (vars: Record<string, string>) => Promise<{ env?: object; exitCode?: unknown; printed: string }>,
) {
  it('runs on the embedded defaults with nothing set', async () => {
    const { env, exitCode } = await loadEnv({});
    expect(exitCode).toBeUndefined();
    expect(env).toMatchObject({ LIVEKIT_URL: 'ws://127.0.0.1:7880', LIVEKIT_API_KEY: 'devkey' });
    expect(env).not.toHaveProperty('REDIS_URL', expect.anything());
  });

  it('exits 1 with one message naming every bad variable', async () => {
    const { exitCode, printed } = await loadEnv({
      DATABASE_URL: 'mysql://db/x',
      REDIS_URL: 'localhost:6379',
      LIVEKIT_URL: 'wss://lk.example.com',
      PHONE_PIN_SECRET: 'short',
    });
    expect(exitCode).toBe(1);
    expect(printed.startsWith(`Cannot start the ${app}: invalid configuration (4 problems):`)).toBe(true);
    expect(printed).toContain('- DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(printed).toContain('- REDIS_URL: must be a redis:// or rediss:// URL');
    expect(printed).toContain('- PHONE_PIN_SECRET: PHONE_PIN_SECRET must be at least 32 characters');
    expect(printed).toContain('- LIVEKIT_API_KEY: LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be too');
  });
}
