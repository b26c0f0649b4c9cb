import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createDb, openPglite, type DbHandle } from './client';
import { migrate } from './migrate';
import { hashPassword } from './passwords';
import { eq, sql } from 'drizzle-orm';
import { dealerships, users } from './schema';
import type { TAuthUser } from './users';
import { seedDemoData } from './seed';
import { listScenariosForDealership } from './scenarios';
import { startPracticeSession } from './sessions';

export type TSeeded = Awaited<ReturnType<typeof seedDemoData>>;

/** Set by the integration tests' global setup (test/global-setup.ts): the seeded snapshot's file. */
export const SEEDED_SNAPSHOT_ENV = 'AVATAR_ADAM_TEST_PGLITE_SNAPSHOT';

/**
 * A fresh database, migrated and seeded: for tests only. Each call is independent, so tests never
 * see each other's rows. In-memory PGlite by default; with AVATAR_ADAM_TEST_DATABASE_URL (set by
 * `npm run test:postgres`) a new database on that Postgres server, dropped again on close().
 */
export async function createTestDb() {
  const serverUrl = process.env.AVATAR_ADAM_TEST_DATABASE_URL;
  const snapshot = serverUrl ? undefined : readSeededSnapshot();
  if (snapshot) {
    const handle = await openPglite('memory', { loadDataDir: snapshot.data });
    return { ...handle, seeded: snapshot.seeded };
  }
  const handle: DbHandle = serverUrl ? await createPostgresTestDatabase(serverUrl) : await openPglite('memory');
  await migrate(handle);
  const seeded = await seedDemoData({ db: handle.db });
  return { ...handle, seeded };
}

/**
 * Migrates and seeds an in-memory database once and saves its data folder to `file` (and what the
 * seed returned to `<file>.json`). Creating PGlite from scratch runs initdb: ~2.5 s, plus ~0.8 s of
 * migrations and seed, for every test file; loading this snapshot takes ~0.6 s. Made afresh by
 * each test run, from the code under test, so it cannot go stale.
 */
export async function writeSeededSnapshot(file: string): Promise<void> {
  const handle = await openPglite('memory');
  try {
    await migrate(handle);
    const seeded = await seedDemoData({ db: handle.db });
    const dump = await handle.pglite.dumpDataDir('none');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(`${file}.json`, JSON.stringify(seeded));
  } finally {
    await handle.close();
  }
}

/** The snapshot of this test run, when its global setup made one. */
export function readSeededSnapshot(): { data: Blob; seeded: TSeeded } | undefined {
  const file = process.env[SEEDED_SNAPSHOT_ENV];
  if (!file) return undefined;
  return { data: new Blob([readFileSync(file)]), seeded: JSON.parse(readFileSync(`${file}.json`, 'utf8')) as TSeeded };
}

/**
 * Test files share one Postgres server (and may run side by side), so each gets a database of its
 * own: created through the server's maintenance database, force-dropped when the test closes it.
 */
async function createPostgresTestDatabase(serverUrl: string): Promise<DbHandle> {
  const name = `avatar_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = await createDb({ url: adminUrl.toString() });
  try {
    await admin.db.execute(sql.raw(`create database ${name}`));
  } finally {
    await admin.close();
  }
  const testUrl = new URL(serverUrl);
  testUrl.pathname = `/${name}`;
  const handle = await createDb({ url: testUrl.toString() });
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = await createDb({ url: adminUrl.toString() });
      await dropper.db.execute(sql.raw(`drop database if exists ${name} with (force)`)).finally(() => dropper.close());
    },
  };
}

/** A second tenant with its own admin and trainee, to prove isolation. */
export async function createOtherDealership(db: Awaited<ReturnType<typeof createTestDb>>['db'], slug = 'other-motors') {
  const [dealership] = await db.insert(dealerships).values({ name: `Other ${slug}`, slug }).returning();
  const passwordHash = await hashPassword('other-dealership-password');
  const [admin, trainee] = await db
    .insert(users)
    .values([
      { dealershipId: dealership!.id, email: `admin@${slug}.example`, name: 'Other Admin', role: 'dealership_admin', passwordHash },
      { dealershipId: dealership!.id, email: `trainee@${slug}.example`, name: 'Other Trainee', role: 'trainee', passwordHash },
    ])
    .returning();
  return { dealershipId: dealership!.id, adminId: admin!.id, traineeId: trainee!.id };
}

type TTestDb = Awaited<ReturnType<typeof createTestDb>>;

/**
 * The callers a tenant-isolation test needs, as the web app sees them: Lakeside's seeded trainee
 * and manager plus a second trainee, and a trainee and manager of another dealership.
 */
export async function createTenantUsers(t: TTestDb) {
  const other = await createOtherDealership(t.db);
  const rows = await t.db.select().from(users).where(eq(users.dealershipId, t.seeded.dealershipId));
  const [second] = await t.db
    .insert(users)
    .values({
      dealershipId: t.seeded.dealershipId,
      email: 'second.trainee@lakeside.example',
      name: 'Sam Second',
      role: 'trainee',
      passwordHash: await hashPassword('another-long-password'),
    })
    .returning();
  const asUser = (u: typeof users.$inferSelect): TAuthUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    dealershipId: u.dealershipId,
  });
  const dealershipId = other.dealershipId;
  return {
    other,
    lakeside: {
      trainee: asUser(rows.find((u) => u.role === 'trainee')!),
      manager: asUser(rows.find((u) => u.role === 'dealership_admin')!),
      secondTrainee: asUser(second!),
    },
    outsiders: {
      trainee: { id: other.traineeId, email: 'trainee@other-motors.example', name: 'Other Trainee', role: 'trainee', dealershipId } as TAuthUser,
      manager: { id: other.adminId, email: 'admin@other-motors.example', name: 'Other Admin', role: 'dealership_admin', dealershipId } as TAuthUser,
    },
  };
}

/** A new web role-play session of the seeded trainee, on the seeded dealership's first role-play. */
export async function startTestRoleplay(t: Pick<TTestDb, 'db' | 'seeded'>) {
  const dealershipId = t.seeded.dealershipId;
  const scenarioId = (await listScenariosForDealership({ db: t.db, dealershipId })).find((s) => s.mode === 'roleplay')!.id;
  return startPracticeSession({ db: t.db, dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId, channel: 'web' });
}
