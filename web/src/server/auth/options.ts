import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env, isDevSecret } from '@/env';
import { getDb } from '../db';
import { logger } from '../logger';
import { getRedis } from '../redis';
import { SIGN_IN_UNAVAILABLE } from '@/lib/sign-in-errors';
import { SignInRefused, authorizeCredentials, clientAddress } from './authorize';
import { type TLoginLimiter, createLoginLimiter, createRedisLoginLimiter } from './login-limiter';

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60; // one working shift
const SESSION_UPDATE_AGE_SECONDS = 60 * 60;

/** Counted in Redis when REDIS_URL is set (several web instances), in-process otherwise. */
const redis = getRedis();
const loginLimiter: TLoginLimiter = redis ? createRedisLoginLimiter(redis) : createLoginLimiter();

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
      async authorize(credentials, req) {
        let db: Awaited<ReturnType<typeof getDb>>['db'];
        try {
          ({ db } = await getDb());
        } catch (error) {
          logger.error({ err: error }, 'sign-in check failed: database unavailable');
          throw new SignInRefused(SIGN_IN_UNAVAILABLE);
        }
        return authorizeCredentials({ db, limiter: loginLimiter, credentials, ip: clientAddress(req?.headers), logger });
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
