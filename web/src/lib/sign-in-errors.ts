/**
 * The error codes the sign-in form can receive (next-auth puts them in `?error=` or in the result
 * of `signIn`). Shared by server and browser, so kept free of server imports.
 */
export const SIGN_IN_UNAVAILABLE = 'SignInUnavailable';
export const SIGN_IN_LOCKED = 'SignInLocked';

export function describeSignInError(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === 'CredentialsSignin') {
    return 'That email and password do not match an active account. Check them and try again.';
  }
  if (code === SIGN_IN_UNAVAILABLE) {
    return 'Signing in is not possible right now because the service is unavailable. Please try again in a minute.';
  }
  if (code === SIGN_IN_LOCKED) {
    return 'Too many failed sign-ins. For your security this account is locked for up to 15 minutes; try again later or ask your manager to reset your password.';
  }
  if (code === 'SessionRequired') return 'Please sign in to continue.';
  return 'Sign-in did not work. Please try again.';
}
