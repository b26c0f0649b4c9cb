import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { findRepoRoot } from '@avatar-adam/db';
import { freeTcpPort, type ManagedProcess, startProcess, waitForHttp } from '../../scripts/lib/processes';
import type { TestStack } from './stack';

export type TestWebApp = {
  /** `http://localhost:<port>`, as a browser opens it. */
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
};

const root = findRepoRoot();
/** Relative to web/; git- and docker-ignored. */
const TEST_DIST_DIR = '.next-test';

/**
 * The web app as `npm run dev` runs it (`next dev`, same environment variables), on a free port and
 * against the test stack's database and livekit-server. `next dev` rather than `next build && next
 * start`: on the 2-core machine a production build alone takes ~85 s (compile 62 s, type check 19 s),
 * while `next dev` is ready in about a second and compiles the routes a test visits in 13–35 s (and it
 * is what the "fresh clone → npm run dev" promise is about).
 *
 * It builds into `web/.next-test` (next.config.ts reads AVATAR_ADAM_TEST_NEXT_DIST_DIR): `next dev`
 * locks its build folder, and a developer's `npm run dev` may be using `web/.next` meanwhile.
 */
export async function startWebApp(
  stack: TestStack,
  opts: {
    onLine?: (line: string) => void;
    /** More pages or routes to compile before this resolves (paths; each answers with a redirect or 4xx). */
    warmRoutes?: string[];
    /** Variables over the inherited environment, e.g. `{ PHONE_PIN_SECRET: '' }` (empty = unset). */
    env?: Record<string, string>;
  } = {},
): Promise<TestWebApp> {
  const port = await freeTcpPort();
  const url = `http://localhost:${port}`;
  const web = startProcess({
    name: 'web',
    command: path.join(root, 'node_modules', '.bin', 'next'),
    args: ['dev', '--port', String(port)],
    cwd: path.join(root, 'web'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NEXT_TELEMETRY_DISABLED: '1',
      AVATAR_ADAM_TEST_NEXT_DIST_DIR: TEST_DIST_DIR,
      DATABASE_URL: stack.databaseUrl,
      LIVEKIT_URL: stack.livekit.url,
      LIVEKIT_API_KEY: stack.livekit.apiKey,
      LIVEKIT_API_SECRET: stack.livekit.apiSecret,
      AGENT_NAME: stack.agentName,
      NEXTAUTH_SECRET: randomBytes(32).toString('hex'),
      NEXTAUTH_URL: url,
      PORT: String(port),
      ...opts.env,
    },
    logFile: path.join(stack.logDir, 'web.log'),
    onLine: opts.onLine,
  });
  const stop = () => web.stop();
  let alive = true;
  void web.exited.then(() => (alive = false));
  try {
    await web.waitForLine(/Ready in/, 60_000);
    // Compile what the test visits before it starts timing anything: the pages, next-auth, and the
    // tRPC route that the "Start practice" click calls. Each answers with a redirect or 4xx.
    await waitForHttp(`${url}/sign-in`, 90_000, () => alive);
    await Promise.all([
      waitForHttp(`${url}/practice`, 90_000, () => alive),
      waitForHttp(`${url}/api/auth/session`, 90_000, () => alive),
      waitForHttp(`${url}/api/trpc/session.get`, 90_000, () => alive),
    ]);
    // One after another: in parallel they would only share the same two cores, and a timeout
    // names the route that was slow.
    for (const route of opts.warmRoutes ?? []) await waitForHttp(`${url}${route}`, 120_000, () => alive);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nweb log tail:\n${web.tail().slice(-20).join('\n')}`);
  }
  return { url, process: web, stop };
}
