import { eq, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { AppError } from './errors';
import { createInvitation } from './invitations';
import { dealerships } from './schema';

/** Lower-case words joined by single hyphens: it ends up in URLs and file names. */
export const DEALERSHIP_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const bad = (message: string, userMessage: string) => new AppError('BAD_REQUEST', { message, userMessage });

/** An IANA zone both this runtime and Postgres know (analytics turn dates into weeks with it). */
async function assertTimezone(db: Db, timezone: string): Promise<void> {
  const badZone = bad(`unknown time zone ${JSON.stringify(timezone.slice(0, 60))}`, 'Pick a time zone from the list, e.g. America/Chicago.');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw badZone;
  }
  try {
    await db.execute(sql`select now() at time zone ${timezone}`);
  } catch {
    throw badZone;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const SLUG_TAKEN = 'Another dealership already uses that short name. Pick a different one.';

/**
 * Creates a tenant and invites its first manager, both or neither, audited. Returns the invitation
 * token for the email link (the caller sends it, as `invitation.create` does). Refuses a taken slug,
 * an unknown time zone and an email that already has an account, changing nothing.
 */
export async function createDealership(opts: {
  db: Db;
  actorId: string;
  name: string;
  slug: string;
  timezone: string;
  adminEmail: string;
  now?: Date;
}) {
  const name = opts.name.trim();
  const slug = opts.slug.trim().toLowerCase();
  if (name.length < 2 || name.length > 120) throw bad('dealership name length', 'Enter the dealership’s name (2 to 120 characters).');
  if (slug.length < 3 || slug.length > 60 || !DEALERSHIP_SLUG.test(slug)) {
    throw bad(`bad dealership slug ${JSON.stringify(slug.slice(0, 80))}`, 'The short name may use lower-case letters, digits and single hyphens (3 to 60 characters), e.g. lakeside-motors.');
  }
  await assertTimezone(opts.db, opts.timezone);
  try {
    return await opts.db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: dealerships.id }).from(dealerships).where(eq(dealerships.slug, slug)).limit(1);
      if (taken) throw new AppError('CONFLICT', { message: `dealership slug ${slug} taken`, userMessage: SLUG_TAKEN });
      const [dealership] = await tx.insert(dealerships).values({ name, slug, timezone: opts.timezone }).returning();
      if (!dealership) throw new AppError('INTERNAL', { message: 'insert returned no dealership row' });
      const { invitation, token } = await createInvitation({
        db: tx,
        dealershipId: dealership.id,
        invitedById: opts.actorId,
        email: opts.adminEmail,
        role: 'dealership_admin',
        now: opts.now,
      });
      await recordAudit({
        db: tx,
        action: 'dealership.create',
        actorId: opts.actorId,
        dealershipId: dealership.id,
        targetType: 'dealership',
        targetId: dealership.id,
        meta: { name, slug, timezone: opts.timezone, invitedEmail: invitation.email },
      });
      return { dealership, invitation, token };
    });
  } catch (error) {
    // Two operators creating the same slug at once: the unique index decides, with the same answer.
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', { message: `dealership slug ${slug} taken (race)`, userMessage: SLUG_TAKEN, cause: error });
    throw error;
  }
}

/**
 * A platform operator inviting a manager into an existing dealership: the way to resend a first
 * admin's invitation (a pending one for the same address is replaced) or add another. Audited.
 */
export async function inviteDealershipManager(opts: { db: Db; dealershipId: string; actorId: string; email: string }) {
  const [dealership] = await opts.db
    .select({ id: dealerships.id, name: dealerships.name })
    .from(dealerships)
    .where(eq(dealerships.id, opts.dealershipId))
    .limit(1);
  if (!dealership) {
    throw new AppError('NOT_FOUND', { message: `dealership ${opts.dealershipId} not found`, userMessage: 'That dealership does not exist.' });
  }
  const { invitation, token } = await createInvitation({
    db: opts.db,
    dealershipId: dealership.id,
    invitedById: opts.actorId,
    email: opts.email,
    role: 'dealership_admin',
  });
  await recordAudit({
    db: opts.db,
    action: 'user.invite',
    actorId: opts.actorId,
    dealershipId: dealership.id,
    targetType: 'invitation',
    targetId: invitation.id,
    meta: { invitedEmail: invitation.email, role: invitation.role },
  });
  return { dealership, invitation, token };
}
