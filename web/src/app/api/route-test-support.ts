import type { TAuthUser } from '@avatar-adam/db';
import { encode } from 'next-auth/jwt';

/**
 * For route-handler tests: the cookie next-auth sets at sign-in, whose JWT carries what the `jwt`
 * callback puts there, so a handler reads it exactly as it reads a signed-in browser's.
 */
export async function sessionCookie(user: TAuthUser, secret: string): Promise<string> {
  const token = await encode({ secret, token: { sub: user.id, id: user.id, email: user.email, name: user.name, role: user.role, dealershipId: user.dealershipId } });
  return `next-auth.session-token=${token}`;
}
