import { createHash, randomBytes } from 'node:crypto';

/**
 * A secret for an emailed link: 32 random bytes as base64url. Only `tokenHash` is stored, so a
 * leaked database row cannot be turned back into a working link.
 */
export function createEmailToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashEmailToken(token) };
}

export function hashEmailToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
