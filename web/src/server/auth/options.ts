import { recordAudit, verifyCredentials } from '@avatar-adam/db';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env, isDevSecret } from '@/env';
import { getDb } from '../db';
import { logger } from '../logger';
import { SIGN_IN_UNAVAILABLE } from '@/lib/sign-in-errors';

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60; // one working shift
const SESSION_UPDATE_AGE_SECONDS = 60 * 60;

const ZCredentials = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(512),
});

if (isDevSecret) {
  logger.warn('NEXTAUTH_SECRET is unset: using the built-in development secret (never in production)');
}

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const parsed = ZCredentials.safeParse(credentials);
        if (!parsed.success) return null;
        try {
          const { db } = await getDb();
          const user = await verifyCredentials({ db, ...parsed.data });
          await recordAudit({
            db,
            action: user ? 'auth.sign_in' : 'auth.sign_in_failed',
            actorId: user?.id ?? null,
            dealershipId: user?.dealershipId ?? null,
            meta: user ? {} : { attemptedEmail: parsed.data.email.toLowerCase() },
          });
          return user;
        } catch (error) {
          logger.error({ err: error }, 'sign-in check failed');
          // next-auth forwards a thrown message to the browser: send a code, never the details.
          throw new Error(SIGN_IN_UNAVAILABLE);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // `user` is only present on the sign-in request; later calls carry the token forward.
      if (user) {
        token.id = user.id;
        token.role = user.role;
        token.dealershipId = user.dealershipId;
      }
      return token;
    },
    session({ session, token }) {
      session.user = {
        id: token.id,
        email: token.email ?? '',
        name: token.name ?? '',
        role: token.role,
        dealershipId: token.dealershipId,
      };
      return session;
    },
  },
};
