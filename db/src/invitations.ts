import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { checkPasswordStrength, hashPassword } from './passwords';
import { invitations, users } from './schema';
import { createEmailToken, hashEmailToken } from './tokens';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type TInvitableRole = 'trainee' | 'dealership_admin';

export type TPendingInvitation = {
  id: string;
  email: string;
  role: 'super_admin' | 'dealership_admin' | 'trainee';
  expiresAt: Date;
  createdAt: Date;
  invitedByName: string | null;
};

/**
 * Invites an email address into a dealership. Returns the stored invitation and the token for the
 * link (which only the email ever carries). A pending invitation for the same address and
 * dealership is replaced, so only the newest link works.
 */
export async function createInvitation(opts: {
  db: Db;
  dealershipId: string;
  invitedById: string | null;
  email: string;
  role: TInvitableRole;
  now?: Date;
}) {
  const email = opts.email.trim().toLowerCase();
  const now = opts.now ?? new Date();
  const { token, tokenHash } = createEmailToken();
  const invitation = await opts.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email))
      .limit(1);
    if (existing) {
      throw new AppError('CONFLICT', {
        message: 'invited email already has an account',
        userMessage: 'Someone with that email address already has an account.',
      });
    }
    await tx
      .delete(invitations)
      .where(
        and(
          eq(invitations.dealershipId, opts.dealershipId),
          eq(sql`lower(${invitations.email})`, email),
          isNull(invitations.acceptedAt),
        ),
      );
    const [row] = await tx
      .insert(invitations)
      .values({
        dealershipId: opts.dealershipId,
        invitedById: opts.invitedById,
        email,
        role: opts.role,
        tokenHash,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      })
      .returning();
    return row!;
  });
  return { invitation, token };
}

/** Invitations of one dealership that can still be accepted, newest first. */
export async function listPendingInvitations(opts: {
  db: Db;
  dealershipId: string;
  now?: Date;
}): Promise<TPendingInvitation[]> {
  return opts.db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedByName: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(
      and(
        eq(invitations.dealershipId, opts.dealershipId),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, opts.now ?? new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

const INVALID_INVITATION = 'This invitation link is invalid, expired or already used. Ask your manager for a new one.';

/**
 * Redeems an invitation: creates the user in the invitation's dealership with its role and marks
 * the invitation accepted, both or neither. The token works once.
 */
export async function acceptInvitation(opts: {
  db: Db;
  token: string;
  name: string;
  password: string;
  now?: Date;
}) {
  const weak = checkPasswordStrength(opts.password);
  if (weak) throw new AppError('BAD_REQUEST', { message: 'weak password', userMessage: weak });
  const name = opts.name.trim();
  if (!name) throw new AppError('BAD_REQUEST', { message: 'empty name', userMessage: 'Enter your name.' });
  const now = opts.now ?? new Date();
  const passwordHash = await hashPassword(opts.password);
  return opts.db.transaction(async (tx) => {
    // Claiming the row in the UPDATE itself means two concurrent accepts cannot both succeed.
    const [invitation] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(invitations.tokenHash, hashEmailToken(opts.token)),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning();
    if (!invitation) {
      throw new AppError('BAD_REQUEST', { message: 'invitation token not usable', userMessage: INVALID_INVITATION });
    }
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, invitation.email.toLowerCase()))
      .limit(1);
    if (taken) {
      throw new AppError('CONFLICT', {
        message: 'invited email registered since the invitation',
        userMessage: 'An account with this email address already exists. Sign in instead.',
      });
    }
    const [user] = await tx
      .insert(users)
      .values({
        dealershipId: invitation.dealershipId,
        email: invitation.email,
        name,
        role: invitation.role,
        passwordHash,
      })
      .returning({ id: users.id, email: users.email, role: users.role, dealershipId: users.dealershipId });
    return { user: user!, invitationId: invitation.id };
  });
}
