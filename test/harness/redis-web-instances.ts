import path from 'node:path';
import { type ManagedProcess, startProcess } from '../../scripts/lib/processes';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type TWebInstance = {
  name: string;
  process: ManagedProcess;
  /** POSTs to the instance's test API; resolves with its JSON (`result`, or `error` with status 500). */
  call<T = unknown>(path: string, body?: object): Promise<{ instance: string; ms: number; result: T; error?: string; status: number }>;
  stop(): Promise<void>;
};

/**
 * A separate Node process built like a web instance (test/support/redis-web-instance.ts: the
 * product's Redis client, limiters and cache against `redisUrl`) with a small HTTP API.
 */
export async function startRedisWebInstance(opts: { name: string; redisUrl: string; logLevel?: string }): Promise<TWebInstance> {
  const proc = startProcess({
    name: `web-instance-${opts.name}`,
    command: process.execPath,
    args: [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', path.join(ROOT, 'web/tsconfig.json'), path.join(ROOT, 'test/support/redis-web-instance.ts')],
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: opts.redisUrl, INSTANCE_NAME: opts.name, LOG_LEVEL: opts.logLevel ?? 'error', NODE_ENV: 'test' },
  });
  const line = await proc.waitForLine(/listening on \d+/, 60_000);
  const port = Number(/listening on (\d+)/.exec(line)![1]);
  return {
    name: opts.name,
    process: proc,
    async call(apiPath, body = {}) {
      const res = await fetch(`http://127.0.0.1:${port}${apiPath}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      return { ...((await res.json()) as { instance: string; ms: number; result: never; error?: string }), status: res.status };
    },
    stop: () => proc.stop(),
  };
}

/** Resolves once every instance's Redis client is connected (after a start or a Redis restart). */
export async function waitForSharedRedis(instances: TWebInstance[], timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const states = await Promise.all(instances.map((i) => i.call<{ status: string }>('/redis')));
    if (states.every((s) => s.result.status === 'ready')) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`web instances not connected to Redis within ${timeoutMs / 1000}s`);
}
