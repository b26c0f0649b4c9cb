import { openPglite } from './client';
import { migrate } from './migrate';
import { hashPassword } from './passwords';
import { dealerships, users } from './schema';
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
