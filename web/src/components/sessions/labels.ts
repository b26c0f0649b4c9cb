const ACRONYMS = /\b(apr|gap|vsc)\b/g;

/** Words for the codes the scorer stores (`menu_presentation`, `needs_work`, `payment_without_apr_term`). */
export function labelOf(code: string): string {
  if (code === 're_close') return 'Re-close';
  const words = code
    .replace(/_/g, ' ')
    .trim()
    .replace(ACRONYMS, (word) => word.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A latency in milliseconds as people read it: "480 ms", "1.04 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
