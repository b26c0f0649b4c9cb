import { createDb, type TAuthUser } from '@avatar-adam/db';
import { startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { encode } from 'next-auth/jwt';

/*
 * For route-handler tests: the exported handlers run as Next calls them, with real requests and
 * real next-auth session cookies, against an embedded database they reach through DATABASE_URL
 * (as in `npm run dev`).
 */

/**
 * A seeded embedded database on a port, with DATABASE_URL pointing at it. Import the route (and
 * anything reading the web env) only after this: the env module reads DATABASE_URL once.
 * `close()` puts the environment back and stops the database.
 */
export async function startRouteTestDatabase() {
  const previous = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
  const server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
  const handle = await createDb({ url: server.url });
  const seeded = await seedDemoData({ db: handle.db });
  process.env.DATABASE_URL = server.url;
  process.env.LOG_LEVEL = 'warn';
  const close = async () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await handle.close();
    await server.close();
  };
  return { ...handle, seeded, close };
}

/** The cookie next-auth sets at sign-in: its JWT carries what the `jwt` callback puts there. */
export async function sessionCookie(user: TAuthUser, secret: string): Promise<string> {
  const token = await encode({ secret, token: { sub: user.id, id: user.id, email: user.email, name: user.name, role: user.role, dealershipId: user.dealershipId } });
  return `next-auth.session-token=${token}`;
}
