const DEFAULT_AFTER_SIGN_IN = '/practice';

/**
 * Only same-site paths: a `callbackUrl` pointing elsewhere would turn the sign-in page into an
 * open redirect. next-auth may hand us an absolute URL of this site, so its path is kept.
 */
export function safeCallbackUrl(value: string | undefined): string {
  if (!value) return DEFAULT_AFTER_SIGN_IN;
  let path = value;
  if (/^https?:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      path = `${url.pathname}${url.search}`;
    } catch {
      return DEFAULT_AFTER_SIGN_IN;
    }
  }
  const isLocalPath = path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
  if (!isLocalPath || path.startsWith('/sign-in')) return DEFAULT_AFTER_SIGN_IN;
  return path;
}
