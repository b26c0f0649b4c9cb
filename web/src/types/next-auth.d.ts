import type { TAuthUser } from '@avatar-adam/db';

/** Who is signed in, as carried in the session JWT: exactly what `verifyCredentials` returned. */
declare module 'next-auth' {
  interface Session {
    user: TAuthUser;
  }
  interface User {
    role: TAuthUser['role'];
    dealershipId: TAuthUser['dealershipId'];
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    id: string;
    role: TAuthUser['role'];
    dealershipId: TAuthUser['dealershipId'];
  }
}
