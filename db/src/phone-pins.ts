import { createHmac, randomInt } from 'node:crypto';

/** Digits in a generated PIN: a million combinations, and a caller gets three tries per call. */
export const PHONE_PIN_LENGTH = 6;

/** E.164: a plus sign, a country code and up to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Turns what an admin typed ("(312) 555-0100", "+1 312 555 0100") into E.164, or null. Numbers
 * without a country code are read as North American, which is where the product sells.
 */
export function normalizePhoneNumber(input: string): string | null {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  if (!digits) return null;
  const candidate = trimmed.startsWith('+') ? `+${digits}` : digits.length === 10 ? `+1${digits}` : `+${digits}`;
  return E164.test(candidate) ? candidate : null;
}

export function generatePhonePin(): string {
  return Array.from({ length: PHONE_PIN_LENGTH }, () => String(randomInt(10))).join('');
}

/**
 * HMAC of the PIN keyed with the server's PIN secret and scoped to the dealership: one indexed
 * lookup finds the trainee, yet a copy of the table alone does not give the PINs away (a plain
 * hash of six digits would fall to a million guesses). A password hash per trainee would make each
 * call compare the PIN against every trainee's hash, seconds of CPU per attempt.
 */
export function digestPhonePin(opts: { secret: string; dealershipId: string; pin: string }): string {
  return createHmac('sha256', opts.secret).update(`${opts.dealershipId}:${opts.pin}`).digest('base64url');
}
