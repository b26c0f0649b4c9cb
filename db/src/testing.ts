import { openPglite } from './client';
import { migrate } from './migrate';
import { hashPassword } from './passwords';
import { eq } from 'drizzle-orm';
import { dealerships, users } from './schema';
import type { TAuthUser } from './users';
import { seedDemoData } from './seed';

/**
 * A fresh in-memory database, migrated and seeded: for tests only. Each call is independent, so
 * tests never see each other's rows.
 */
export async function createTestDb() {
  const handle = await openPglite('memory');
  await migrate(handle);
  const seeded = await seedDemoData({ db: handle.db });
  return { ...handle, seeded };
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
