/**
 * The error codes the sign-in form can receive (next-auth puts them in `?error=` or in the result
 * of `signIn`). Shared by server and browser, so kept free of server imports.
 */
export const SIGN_IN_UNAVAILABLE = 'SignInUnavailable';

export function describeSignInError(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === 'CredentialsSignin') {
    return 'That email and password do not match an active account. Check them and try again.';
  }
  if (code === SIGN_IN_UNAVAILABLE) {
    return 'Signing in is not possible right now because the service is unavailable. Please try again in a minute.';
  }
  if (code === 'SessionRequired') return 'Please sign in to continue.';
  return 'Sign-in did not work. Please try again.';
}
