import { createDb, type Db, schema, type TAuthUser } from '@avatar-adam/db';
import { createOtherDealership } from '@avatar-adam/db/testing';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The upload allowance through the real POST handler (as Next calls it, with a session cookie)
 * against an embedded database: a dealership's managers share 30 uploads per 10 minutes, and one
 * dealership using its allowance up does not touch another's.
 */
let server: EmbeddedDatabase;
let handle: Awaited<ReturnType<typeof createDb>>;
let db: Db;
let POST: typeof import('./route').POST;
let secret: string;
/** Read after DATABASE_URL is set: the limiter's module loads the web env, which reads it once. */
let UPLOADS_PER_WINDOW: number;
const managers: Record<'lakeside' | 'other', TAuthUser> = {} as never;
const previous = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
  handle = await createDb({ url: server.url });
  db = handle.db;
  const seeded = await seedDemoData({ db });
  const other = await createOtherDealership(db);
  const asUser = (u: typeof schema.users.$inferSelect): TAuthUser => ({ id: u.id, email: u.email, name: u.name, role: u.role, dealershipId: u.dealershipId });
  const all = (await db.select().from(schema.users)).map(asUser);
  managers.lakeside = all.find((u) => u.role === 'dealership_admin' && u.dealershipId === seeded.dealershipId)!;
  managers.other = all.find((u) => u.id === other.adminId)!;
  process.env.DATABASE_URL = server.url;
  process.env.LOG_LEVEL = 'warn';
  ({ POST } = await import('./route'));
  ({ UPLOADS_PER_WINDOW } = await import('@/server/auth/upload-limiter'));
  secret = (await import('@/env')).env.NEXTAUTH_SECRET;
});
afterAll(async () => {
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await handle?.close();
  await server?.close();
});

async function upload(user: TAuthUser, n: number) {
  const token = await encode({ secret, token: { sub: user.id, id: user.id, email: user.email, name: user.name, role: user.role, dealershipId: user.dealershipId } });
  const form = new FormData();
  form.set('file', new File([`Menu note ${n}: present every product, quote APR and term.`], `note-${n}.txt`));
  const response = await POST(new NextRequest('http://localhost:3000/api/documents', { method: 'POST', body: form, headers: { cookie: `next-auth.session-token=${token}` } }));
  return { status: response.status, body: (await response.json()) as { userMessage?: string } };
}

const storedFor = async (user: TAuthUser) => (await db.select().from(schema.documents).where(eq(schema.documents.dealershipId, user.dealershipId!))).length;

describe('document upload allowance', () => {
  it('refuses the upload after the allowance with a clear message, storing nothing, and leaves other dealerships alone', async () => {
    const before = await storedFor(managers.lakeside);
    for (let n = 0; n < UPLOADS_PER_WINDOW; n++) expect((await upload(managers.lakeside, n)).status).toBe(201);
    const refused = await upload(managers.lakeside, UPLOADS_PER_WINDOW);
    expect(refused).toEqual({
      status: 429,
      body: { userMessage: expect.stringMatching(/^Your dealership has uploaded 30 documents in the last 10 minutes, the most allowed\. Try again in 10 minutes\.$/) },
    });
    expect(await storedFor(managers.lakeside)).toBe(before + UPLOADS_PER_WINDOW);
    // Another dealership's manager still has their whole allowance.
    expect((await upload(managers.other, 1000)).status).toBe(201);
  });
});
