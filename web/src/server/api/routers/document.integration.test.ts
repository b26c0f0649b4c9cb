import { schema, type TAuthUser } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { createDocumentUploadCaller } from './document-upload';
import { unreachableLiveKit } from './test-support';

const { documents, documentFiles } = schema;

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let counter = 0;

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
});
afterAll(() => t.close());

function context(user: TAuthUser | null) {
  const session = user ? { user, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  return createTRPCContext({ db: t.db, session, livekit: unreachableLiveKit('document procedures'), logger: pino({ level: 'silent' }) });
}
const callerAs = (user: TAuthUser | null) => createCaller(context(user));
const uploaderAs = (user: TAuthUser | null) => createDocumentUploadCaller(context(user));
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const lakesideUpload = () => uploaderAs(users.lakeside.manager).upload({ filename: `notes-${++counter}.md`, bytes: text(`# Notes ${counter}\n\nMenu first.`) });

describe('document.* as the dealership’s manager', () => {
  it('uploads, lists, gets, re-indexes and deletes', async () => {
    const doc = await uploaderAs(users.lakeside.manager).upload({ filename: 'menu.md', title: 'Menu order', bytes: text('# Menu\n\nShow every product.') });
    expect(doc).toMatchObject({ title: 'Menu order', status: 'queued', uploadedByName: users.lakeside.manager.name });
    const caller = callerAs(users.lakeside.manager);
    expect((await caller.document.list()).map((d) => d.id)).toContain(doc.id);
    expect(await caller.document.get({ documentId: doc.id })).toMatchObject({ id: doc.id, hasFile: true });
    await t.db.update(documents).set({ status: 'failed', error: 'x' }).where(eq(documents.id, doc.id));
    expect(await caller.document.reindex({ documentId: doc.id })).toMatchObject({ status: 'queued', error: null });
    await expect(caller.document.delete({ documentId: doc.id })).resolves.toEqual({ documentId: doc.id });
    await expect(caller.document.get({ documentId: doc.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a duplicate and a bad file with the reason, storing nothing', async () => {
    const uploader = uploaderAs(users.lakeside.manager);
    await uploader.upload({ filename: 'once.txt', bytes: text('GAP waiver terms.') });
    await expect(uploader.upload({ filename: 'twice.txt', bytes: text('GAP waiver terms.') })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('duplicate') });
    await expect(uploader.upload({ filename: 'scan.pdf', bytes: text('not a pdf') })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const names = (await callerAs(users.lakeside.manager).document.list()).map((d) => d.filename);
    expect(names).not.toContain('twice.txt');
    expect(names).not.toContain('scan.pdf');
  });
});

describe('who is refused', () => {
  it('another dealership’s manager sees nothing and can change nothing (NOT_FOUND)', async () => {
    const doc = await lakesideUpload();
    const outsider = callerAs(users.outsiders.manager);
    expect((await outsider.document.list()).map((d) => d.id)).not.toContain(doc.id);
    for (const call of [outsider.document.get, outsider.document.delete, outsider.document.reindex]) {
      await expect(call({ documentId: doc.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    const [file] = await t.db.select().from(documentFiles).where(eq(documentFiles.documentId, doc.id));
    expect(file).toBeDefined();
    expect(await callerAs(users.lakeside.manager).document.get({ documentId: doc.id })).toMatchObject({ status: 'queued' });
  });

  it('a trainee of the same dealership (FORBIDDEN) and a signed-out caller (UNAUTHORIZED) can do nothing', async () => {
    const doc = await lakesideUpload();
    for (const [user, code] of [
      [users.lakeside.trainee, 'FORBIDDEN'],
      [users.outsiders.trainee, 'FORBIDDEN'],
      [null, 'UNAUTHORIZED'],
    ] as const) {
      const caller = callerAs(user);
      await expect(caller.document.list()).rejects.toMatchObject({ code });
      await expect(caller.document.get({ documentId: doc.id })).rejects.toMatchObject({ code });
      await expect(caller.document.delete({ documentId: doc.id })).rejects.toMatchObject({ code });
      await expect(caller.document.reindex({ documentId: doc.id })).rejects.toMatchObject({ code });
      await expect(uploaderAs(user).limits()).rejects.toMatchObject({ code });
      await expect(uploaderAs(user).upload({ filename: 'sneaky.txt', bytes: text(`sneaky ${code}`) })).rejects.toMatchObject({ code });
    }
    const sneaky = await t.db.select().from(documents).where(eq(documents.filename, 'sneaky.txt'));
    expect(sneaky).toEqual([]);
  });

  it('takes the dealership from the session only: a dealershipId in the input is refused', async () => {
    const doc = await lakesideUpload();
    const outsider = callerAs(users.outsiders.manager);
    await expect(
      outsider.document.delete({ documentId: doc.id, dealershipId: users.lakeside.manager.dealershipId } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      uploaderAs(users.outsiders.manager).upload({ filename: 'x.txt', bytes: text('x'), dealershipId: users.lakeside.manager.dealershipId } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
