import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from './safe-callback-url';

describe('safeCallbackUrl', () => {
  it('keeps paths of this site, including ones next-auth sends as absolute URLs', () => {
    expect(safeCallbackUrl('/practice?tab=coach')).toBe('/practice?tab=coach');
    expect(safeCallbackUrl('http://localhost:3000/practice')).toBe('/practice');
  });

  it('never redirects off-site after sign-in', () => {
    for (const hostile of ['//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil.example']) {
      expect(safeCallbackUrl(hostile)).toBe('/practice');
    }
  });

  it('falls back to practice when missing or pointing back at sign-in', () => {
    expect(safeCallbackUrl(undefined)).toBe('/practice');
    expect(safeCallbackUrl('/sign-in?callbackUrl=/practice')).toBe('/practice');
  });
});
