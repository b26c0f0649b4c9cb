import { type Db, schema, type TAuthUser } from '@avatar-adam/db';
import { createOtherDealership } from '@avatar-adam/db/testing';
import { and, eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startRouteTestDatabase } from '../route-test-support';

/* The exported POST handler itself, as Next calls it (see route-test-support.ts). */

let database: Awaited<ReturnType<typeof startRouteTestDatabase>>;
let db: Db;
let POST: typeof import('./route').POST;
let secret: string;
let manager: TAuthUser;
let trainee: TAuthUser;
/** Read after DATABASE_URL is set: the limiter's module loads the web env, which reads it once. */
let UPLOADS_PER_WINDOW: number;

beforeAll(async () => {
  database = await startRouteTestDatabase();
  db = database.db;
  const rows = await db.select().from(schema.users).where(eq(schema.users.dealershipId, database.seeded.dealershipId));
  const asUser = (u: (typeof rows)[number]): TAuthUser => ({ id: u.id, email: u.email, name: u.name, role: u.role, dealershipId: u.dealershipId });
  manager = asUser(rows.find((u) => u.role === 'dealership_admin')!);
  trainee = asUser(rows.find((u) => u.role === 'trainee')!);
  ({ POST } = await import('./route'));
  ({ UPLOADS_PER_WINDOW } = await import('@/server/auth/upload-limiter'));
  secret = (await import('@/env')).env.NEXTAUTH_SECRET;
});
afterAll(() => database?.close());

async function upload(opts: { user?: TAuthUser; filename: string; content: Uint8Array | string; title?: string }) {
  const form = new FormData();
  form.set('file', new File([typeof opts.content === 'string' ? opts.content : new Uint8Array(opts.content)], opts.filename));
  if (opts.title) form.set('title', opts.title);
  const headers = opts.user ? { cookie: await sessionCookie(opts.user, secret) } : undefined;
  const response = await POST(new NextRequest('http://localhost:3000/api/documents', { method: 'POST', body: form, headers }));
  return { status: response.status, body: (await response.json()) as { userMessage?: string; document?: { id: string; status: string; title: string } } };
}

const storedNamed = (filename: string) =>
  db.select().from(schema.documents).where(and(eq(schema.documents.filename, filename), eq(schema.documents.dealershipId, manager.dealershipId!)));

describe('POST /api/documents', () => {
  it('stores a manager’s upload, queued for indexing (201)', async () => {
    const { status, body } = await upload({ user: manager, filename: 'desk-guide.md', title: 'Desk guide', content: '# Desk\n\nMenu before products.' });
    expect(status).toBe(201);
    expect(body.document).toMatchObject({ status: 'queued', title: 'Desk guide' });
    expect(await storedNamed('desk-guide.md')).toMatchObject([{ id: body.document!.id, status: 'queued', mime: 'text/markdown' }]);
  });

  it('refuses a signed-out caller (401) and a trainee (403), storing nothing', async () => {
    expect(await upload({ filename: 'anon.txt', content: 'anonymous upload' })).toEqual({ status: 401, body: { userMessage: 'Your session has ended. Please sign in again.' } });
    expect(await upload({ user: trainee, filename: 'trainee.txt', content: 'trainee upload' })).toEqual({ status: 403, body: { userMessage: 'Only managers can do that.' } });
    expect([...(await storedNamed('anon.txt')), ...(await storedNamed('trainee.txt'))]).toEqual([]);
  });

  it('refuses a file that is too large (413) or not what its name says (400), with the reason', async () => {
    const big = await upload({ user: manager, filename: 'huge.txt', content: new Uint8Array(21 * 1024 * 1024).fill(0x61) });
    expect(big).toEqual({ status: 413, body: { userMessage: expect.stringMatching(/larger than 20 MB/) } });
    const fake = await upload({ user: manager, filename: 'scan.pdf', content: 'plain text pretending' });
    expect(fake).toEqual({ status: 400, body: { userMessage: '“scan.pdf” is not a valid PDF file (its content does not match its name).' } });
    expect([...(await storedNamed('huge.txt')), ...(await storedNamed('scan.pdf'))]).toEqual([]);
  });

  it('refuses a duplicate (409) and a request without a file (400)', async () => {
    await upload({ user: manager, filename: 'first.txt', content: 'Quote APR and term with every payment.' });
    const again = await upload({ user: manager, filename: 'again.txt', content: 'Quote APR and term with every payment.' });
    expect(again).toEqual({ status: 409, body: { userMessage: 'This file is already in your knowledge base as “first”.' } });
    const form = new FormData();
    form.set('title', 'no file');
    const response = await POST(new NextRequest('http://localhost:3000/api/documents', { method: 'POST', body: form, headers: { cookie: await sessionCookie(manager, secret) } }));
    expect(response.status).toBe(400);
  });
});

describe('the upload allowance', () => {
  // Two dealerships of their own, so the uploads of the tests above do not count here.
  const managerOf = async (slug: string): Promise<TAuthUser> => {
    const { adminId } = await createOtherDealership(db, slug);
    const [u] = await db.select().from(schema.users).where(eq(schema.users.id, adminId));
    return { id: u!.id, email: u!.email, name: u!.name, role: u!.role, dealershipId: u!.dealershipId };
  };
  const note = (user: TAuthUser, n: number) => upload({ user, filename: `note-${n}.txt`, content: `Menu note ${n}: present every product, quote APR and term.` });
  const storedFor = async (user: TAuthUser) => (await db.select().from(schema.documents).where(eq(schema.documents.dealershipId, user.dealershipId!))).length;

  it('refuses the upload after the allowance with a clear message, storing nothing, and leaves other dealerships alone', async () => {
    const [busy, other] = [await managerOf('busy-motors'), await managerOf('quiet-motors')];
    for (let n = 0; n < UPLOADS_PER_WINDOW; n++) expect((await note(busy, n)).status).toBe(201);
    const refused = await note(busy, UPLOADS_PER_WINDOW);
    expect(refused).toEqual({
      status: 429,
      body: { userMessage: expect.stringMatching(/^Your dealership has uploaded 30 documents in the last 10 minutes, the most allowed\. Try again in 10 minutes\.$/) },
    });
    expect(await storedFor(busy)).toBe(UPLOADS_PER_WINDOW);
    // Another dealership's manager still has their whole allowance.
    expect((await note(other, 1000)).status).toBe(201);
  });
});
