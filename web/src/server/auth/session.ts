import { getServerSession, type Session } from 'next-auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { authOptions } from './options';

/** The caller's session, read once per request however many components ask. */
export const getSession = cache(() => getServerSession(authOptions));

/**
 * For pages: the session, or a redirect to the sign-in page that comes back to `returnTo`.
 * Procedures do not use this; they are guarded by the tRPC procedure levels.
 */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session?.user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}
