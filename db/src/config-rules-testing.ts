import { vi } from 'vitest';

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
