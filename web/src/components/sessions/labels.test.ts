import { describe, expect, it } from 'vitest';
import { formatMs, labelOf } from './labels';

describe('labels', () => {
  it('turns stored codes into words', () => {
    expect(labelOf('menu_presentation')).toBe('Menu presentation');
    expect(labelOf('needs_work')).toBe('Needs work');
    expect(labelOf('re_close')).toBe('Re-close');
    expect(labelOf('payment_without_apr_term')).toBe('Payment without APR term');
  });

  it('shows short latencies in milliseconds and long ones in seconds', () => {
    expect(formatMs(479.6)).toBe('480 ms');
    expect(formatMs(1040)).toBe('1.04 s');
  });
});
