/**
 * Finding monthly-payment quotes (and whether an APR and a term went with them) in a trainee
 * sentence. Input is already normalised (lower case, spoken numbers as digits). Built for
 * precision: anything that could be the customer's budget or a per-product increment is not a
 * "payment quote", because the rules that use it can auto-fail a trainee.
 */

export type TPaymentQuote = { amount: number; approximate: boolean };

const AMOUNT = String.raw`\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?`;
const PER_MONTH = String.raw`\s*(?:dollars?\s*|bucks\s*)?(?:(?:a|per|each|every)\s+month\b|\/\s*(?:month|mo)\b|monthly\b)`;
/** "$489 a month", "489 dollars per month", "$489/mo", "489 monthly". */
const AMOUNT_PER_MONTH = new RegExp(`${AMOUNT}${PER_MONTH}`, 'g');
/** "your payment is 512", "payments of $489", "the payment comes to 503". */
const PAYMENT_IS = new RegExp(
  String.raw`\bpayments?(?:'s|\s+(?:is|are|would be|will be|comes? to|would come to|works out to|goes to|drops to|stays at|of|at|becomes))\s+(?:(?:just|only|about|around|roughly|approximately)\s+)?${AMOUNT}`,
  'g',
);

/**
 * The customer's own figure restated ("you said you wanted to stay under 400 a month") or a
 * budget question: quoting those is good listening, not a payment quote.
 */
const BUDGET_TALK =
  /\b(?:budget|comfortable|afford|hoping|looking (?:for|to)|want(?:ed)? to (?:stay|keep|be)|keep it (?:under|below)|stay (?:under|below)|target|at most|no more than|max(?:imum)?|you (?:said|mentioned|told))\b/;
/** "adds $14 a month", "an extra 12 a month", "$30 a month more": a product's cost, not the payment. */
const INCREMENT_BEFORE = /\b(?:add|adds|adding|extra|additional|another|increase|difference)(?:\s+(?:of|just|only|about))?\s*\$?$/;
const INCREMENT_AFTER = /^\s*(?:dollars?\s+)?more\b/;
const APPROXIMATE = /\b(?:about|around|roughly|approximately|ballpark|something like|in the neighbou?rhood)\b|-ish\b/;

/** Plausible monthly car payments; filters out "in 5 minutes", years, prices of whole cars. */
const MIN_PAYMENT = 50;
const MAX_PAYMENT = 5000;

export function findPaymentQuotes(normalised: string): TPaymentQuote[] {
  if (BUDGET_TALK.test(normalised)) return [];
  const approximate = APPROXIMATE.test(normalised);
  const quotes: TPaymentQuote[] = [];
  for (const pattern of [AMOUNT_PER_MONTH, PAYMENT_IS]) {
    for (const m of normalised.matchAll(pattern)) {
      const before = normalised.slice(Math.max(0, m.index - 40), m.index);
      const after = normalised.slice(m.index + m[0].length);
      if (INCREMENT_BEFORE.test(before) || INCREMENT_AFTER.test(after)) continue;
      const amount = Number(`${m[1]!.replace(/,/g, '')}${m[2] ?? ''}`);
      if (amount < MIN_PAYMENT || amount > MAX_PAYMENT) continue;
      if (quotes.some((q) => q.amount === amount)) continue;
      quotes.push({ amount, approximate });
    }
  }
  return quotes;
}

/**
 * Generous on purpose: any rate word counts as "APR stated". A missed violation costs less than
 * failing a trainee who said "at six point four nine" but not the letters A-P-R.
 */
const APR = /\bapr\b|\bpercent\b|%|\binterest\b|\brates?\b|annual percentage|\bat \d{1,2}\.\d{1,3}\b/;

export function statesApr(normalised: string): boolean {
  return APR.test(normalised);
}

/** A term: "72 months", "72-month", "six years", "72 payments" in a plausible loan range. */
export function statesTerm(normalised: string): boolean {
  for (const m of normalised.matchAll(/\b(\d{1,3})\s*-?\s*(months?|mos?|years?|yrs?|(?:monthly\s+)?payments)\b/g)) {
    const n = Number(m[1]);
    const unit = m[2]!;
    if (/^(?:y)/.test(unit) ? n >= 1 && n <= 10 : n >= 6 && n <= 120) return true;
  }
  return false;
}
