import type { Session } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { env } from '@/env';

/**
 * The next-auth session of a route-handler request, read from the request's own cookie. Sessions
 * are JWTs (see auth/options.ts), so this is the same token and the same fields that
 * getServerSession gives, without next/headers — which makes the handler callable from a test
 * with a Request it built. Both cookie names are tried: `__Secure-` is used behind https.
 */
export async function getRequestSession(req: NextRequest): Promise<Session | null> {
  const token =
    (await getToken({ req, secret: env.NEXTAUTH_SECRET, secureCookie: true })) ??
    (await getToken({ req, secret: env.NEXTAUTH_SECRET, secureCookie: false }));
  if (!token?.id || !token.role) return null;
  return {
    // The same shape as the `session` callback in auth/options.ts.
    user: { id: token.id, email: token.email ?? '', name: token.name ?? '', role: token.role, dealershipId: token.dealershipId },
    expires: new Date((typeof token.exp === 'number' ? token.exp : 0) * 1000).toISOString(),
  };
}
