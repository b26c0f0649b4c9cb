import http from 'node:http';
import { createRedisLoginLimiter } from '../../web/src/server/auth/login-limiter';
import { getUploadLimiter } from '../../web/src/server/auth/upload-limiter';
import { createWebCache } from '../../web/src/server/cache';
import { getRedis } from '../../web/src/server/redis';

/*
 * One "web instance" for the shared-Redis tests and the Redis fault script: the product's own
 * Redis client (REDIS_URL through the web env), login limiter, upload limiter and web cache, as
 * the web app builds them, behind a tiny HTTP API. Run with
 * `tsx --tsconfig web/tsconfig.json test/support/redis-web-instance.ts` (for the `@/` paths).
 */
const instance = process.env.INSTANCE_NAME ?? `pid-${process.pid}`;
const redis = getRedis();
if (!redis) throw new Error('REDIS_URL must be set for a shared-Redis web instance');
const logins = createRedisLoginLimiter(redis);
const uploads = getUploadLimiter();
const cache = createWebCache<{ computedBy: string; computedAt: number }>({ name: 'instances_test', ttlMs: 60_000, staleMs: 0, maxEntries: 1_000 });

type TBody = { email?: string; ip?: string; key?: string; dealershipId?: string };

async function answer(path: string, body: TBody): Promise<unknown> {
  const who = { email: body.email ?? '', ip: body.ip ?? '' };
  switch (path) {
    case '/login-failure':
      return { lockedForMs: await logins.recordFailure(who) };
    case '/login-locked':
      return { lockedForMs: await logins.lockedForMs(who) };
    case '/upload':
      return uploads.take(body.dealershipId ?? '');
    case '/cache':
      return cache.get(body.key ?? '', async () => ({ computedBy: instance, computedAt: Date.now() }));
    case '/redis':
      return { status: redis!.status };
    default:
      throw new Error(`unknown path ${path}`);
  }
}

const server = http.createServer((req, res) => {
  let text = '';
  req.on('data', (chunk: Buffer) => (text += chunk.toString()));
  req.on('end', () => {
    const started = performance.now();
    answer(req.url ?? '', text ? (JSON.parse(text) as TBody) : {}).then(
      (result) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ instance, ms: performance.now() - started, result }));
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ instance, error: error instanceof Error ? error.message : String(error) }));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`instance ${instance} listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
