import { computeMonthlyPayment, computeNegativeEquity, type TDealJacket, type TMenuProduct } from '@avatar-adam/db';
import { llm } from '@livekit/agents';
import { z } from 'zod';

type TProductKind = TMenuProduct['kind'];
export type TPaymentQuotes = { payments: number[]; aprs: number[]; terms: number[]; productsNamed: TProductKind[] };

// Speech recognisers (pocketsphinx above all) write numbers as words; the patterns below only read digits.
const UNITS = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const TENS = 'twenty thirty forty fifty sixty seventy eighty ninety'.split(' ');

/** 0–99 at `i` ("nine", "nineteen", "eighty nine"): [value, next index]. */
function small(t: string[], i: number): [number, number] | undefined {
  const unit = UNITS.indexOf(t[i] ?? '');
  if (unit >= 0) return [unit, i + 1];
  const tens = TENS.indexOf(t[i] ?? '');
  if (tens < 0) return undefined;
  const next = UNITS.indexOf(t[i + 1] ?? '');
  return next >= 1 && next <= 9 ? [(tens + 2) * 10 + next, i + 2] : [(tens + 2) * 10, i + 1];
}

/** Digits after "point" or between price groups: "oh nine" → "09", "eighty nine" → "89", "nine" → "9". */
function group(t: string[], i: number): [string, number] | undefined {
  const oh = t[i] === 'oh' ? small(t, i + 1) : undefined;
  if (oh && oh[0] <= 9) return [`0${oh[0]}`, oh[1]];
  const s = small(t, i);
  return s && [String(s[0]), s[1]];
}

/** A spoken number at `i`: "five hundred and twelve", "four eighty nine" (price style), "six point nine". */
function spoken(t: string[], i: number): [string, number] | undefined {
  const first = small(t, i);
  if (!first) return undefined;
  let [cur, j] = first;
  let total = 0;
  const scaled = t[j] === 'hundred' || t[j] === 'thousand';
  while (t[j] === 'hundred' || t[j] === 'thousand') {
    if (t[j] === 'hundred') cur *= 100;
    else [total, cur] = [total + cur * 1000, 0];
    const rest = small(t, t[j + 1] === 'and' ? j + 2 : j + 1);
    [cur, j] = rest ? [cur + rest[0], rest[1]] : [cur, j + 1];
  }
  let digits = String(total + cur);
  // Price style, no scale word: each further group is read as digits ("four eighty nine" → 489).
  if (!scaled) for (let g = group(t, j); g; g = group(t, j)) [digits, j] = [digits + g[0], g[1]];
  if (t[j] !== 'point' || !group(t, j + 1)) return [digits, j];
  let fraction = '';
  for (let g = group(t, j + 1); g; g = group(t, g[1])) [fraction, j] = [fraction + g[0], g[1]];
  return [`${digits}.${fraction}`, j];
}

/** Lower-case, spoken numbers as digits, "512 dollars and 40 cents" as 512.40, tokens joined by single spaces. */
function normalise(text: string): string {
  const t = text.toLowerCase().replace(/(\d),(\d{3})/g, '$1$2').match(/\$?\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[%/]/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < t.length; ) {
    const n = spoken(t, i);
    out.push(n ? n[0] : (t[i] ?? ''));
    i = n ? n[1] : i + 1;
  }
  return out.join(' ').replace(/(\d+) (?:dollars?|bucks) and (\d{1,2}) cents?\b/g, (_, d: string, c: string) => `${d}.${c.padStart(2, '0')} dollars`);
}

const NUM = String.raw`\$?(\d+(?:\.\d{1,2})?)\b(?!\.\d)`;
const NOT_MONEY = String.raw`(?! (?:%|(?:percent|months?|mos?|years?|yrs?|apr)\b))`;
const PAYMENT = [
  new RegExp(String.raw`${NUM} (?:dollars? |bucks )?(?:a|per|each|every|/) (?:month|mo)\b`, 'g'),
  new RegExp(String.raw`${NUM} (?:dollars? )?monthly\b`, 'g'),
  // "payment for 72 months is 489": the words in between may include a term.
  new RegExp(String.raw`\bpayments?\b(?: (?:[a-z']+|\d+ (?:months?|years?))){0,5}? ${NUM}${NOT_MONEY}`, 'g'),
];
const APR = [
  new RegExp(String.raw`${NUM} (?:%|percent\b|per cent\b|apr\b)`, 'g'),
  new RegExp(String.raw`\b(?:apr|rate)\b(?: [a-z']+){0,3}? ${NUM}(?! (?:months?|years?|dollars?|a month)\b)`, 'g'),
  /\bat (\d{1,2}\.\d{1,2})\b(?! (?:a|per|dollars?|months?|years?)\b)/g, // "72 months at 6.49"
];
// "six years of coverage", "a 36 month service contract": coverage lengths, not the loan's term.
const TERM = /(?<!(?:cover|covers|covered|warranty|contract|maintenance) )\b(\d+) (months?|mos?|years?|yrs?)\b(?! (?:of|warranty|coverage|service|maintenance|contract|plan|protection)\b)/g;
const PRODUCT_WORDS: [TProductKind, RegExp][] = [
  ['service_contract', /service contract|warranty|\bvsc\b/], ['gap', /\bgap\b/], ['tire_wheel', /\btires?\b|\bwheels?\b|road hazard/],
  ['dent_repair', /\bdents?\b/], ['appearance', /appearance|\bpaint\b|fabric/], ['prepaid_maintenance', /maintenance|oil change/],
  ['key_replacement', /\bkeys?\b/], ['theft_deterrent', /theft|\betch/],
];

function all(patterns: RegExp[], text: string, ok: (n: number) => boolean): number[] {
  const found = patterns.flatMap((p) => [...text.matchAll(p)].map((m) => [m.index, Number(m[1])] as const));
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, n]) => n).filter(ok))];
}

/** The payments, APRs, loan terms (months) and products a trainee's sentence mentions, in order. */
export function extractPaymentQuotes(text: string): TPaymentQuotes {
  const norm = normalise(text);
  const terms = [...norm.matchAll(TERM)].map((m) => Number(m[1]) * (/^y/.test(m[2] ?? '') ? 12 : 1));
  return {
    payments: all(PAYMENT, norm, (n) => n >= 50 && n <= 5000),
    aprs: all(APR, norm, (n) => n <= 36),
    terms: [...new Set(terms.filter((n) => n >= 12 && n <= 96))],
    productsNamed: namedProducts(norm),
  };
}

export function namedProducts(text: string): TProductKind[] {
  return PRODUCT_WORDS.filter(([, re]) => re.test(text.toLowerCase())).map(([kind]) => kind);
}

export type TQuote = { payment: number; aprPercent?: number; termMonths?: number; productsNamed?: readonly TProductKind[] };
export type TPaymentCheck = {
  verdict: 'matches_base' | 'matches_products' | 'unexplained' | 'below_base';
  quoted: number; basePayment: number; termMonths: number; dealTermMonths: number; aprPercent: number;
  /** Base plus each menu product alone, and with every product, at the checked term. */
  productPayments: { name: string; kind: TProductKind; payment: number }[]; allProductsPayment: number;
  matchedProducts: string[]; possiblePacking: boolean; unexplainedAmount: number;
  stretchedByMonths: number; quotedAprDiffers: boolean; negativeEquity: number; customerNote: string;
};

/** A quote the maths cannot check; the message is plain enough to say aloud. */
export class PaymentCheckError extends RangeError {}

const TOLERANCE = 2; // a hand-rounded quote ("four eighty-nine") is a dollar or two off the cents

const dollars = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** Compares a quoted payment with the deal jacket's real amortisation, for the customer to react to. */
export function checkQuotedPayment({ deal, quote }: { deal: TDealJacket; quote: TQuote }): TPaymentCheck {
  const term = quote.termMonths ?? deal.termMonths;
  if (!(quote.payment > 0 && quote.payment <= 10_000)) throw new PaymentCheckError('That monthly payment is not a realistic amount.');
  if (!Number.isInteger(term) || term < 1 || term > 120) throw new PaymentCheckError('That loan term is not a whole number of months I can check.');
  const pay = (extra: number) => computeMonthlyPayment(deal.amountFinanced + extra, deal.apr, term);
  const base = term === deal.termMonths ? deal.payment : pay(0);
  // Explanations the customer could follow: the products the trainee named (any combination), or one menu
  // item, or the whole menu. Any subset of five products would "explain" almost any figure within $2.
  const named = new Set(quote.productsNamed ?? []);
  const menu = deal.menu;
  const namedMenu = menu.filter((p) => named.has(p.kind)).slice(0, 8);
  const namedSubsets = Array.from({ length: 2 ** namedMenu.length }, (_, m) => namedMenu.filter((__, i) => m & (1 << i)));
  const candidates = [...namedSubsets, ...menu.map((p) => [p]), menu].filter((ps) => ps.length > 0);
  const unnamed = (ps: TMenuProduct[]) => ps.filter((p) => !named.has(p.kind)).length;
  let matched: TMenuProduct[] | undefined;
  for (const picked of candidates) {
    if (Math.abs(pay(picked.reduce((sum, p) => sum + p.price, 0)) - quote.payment) > TOLERANCE) continue;
    // Prefer what the trainee disclosed, then the simplest explanation.
    if (!matched || unnamed(picked) < unnamed(matched) || (unnamed(picked) === unnamed(matched) && picked.length < matched.length)) matched = picked;
  }
  const verdict = Math.abs(quote.payment - base) <= TOLERANCE ? 'matches_base' : matched ? 'matches_products' : quote.payment > base ? 'unexplained' : 'below_base';
  const matchedProducts = verdict === 'matches_products' ? (matched ?? []) : [];
  const check = {
    verdict, quoted: quote.payment, basePayment: base, termMonths: term, dealTermMonths: deal.termMonths, aprPercent: deal.apr,
    productPayments: menu.map((p) => ({ name: p.name, kind: p.kind, payment: pay(p.price) })),
    allProductsPayment: pay(menu.reduce((sum, p) => sum + p.price, 0)),
    matchedProducts: matchedProducts.map((p) => p.name),
    possiblePacking: verdict === 'unexplained' || matchedProducts.some((p) => !named.has(p.kind)),
    unexplainedAmount: verdict === 'unexplained' ? Math.round((quote.payment - base) * 100) / 100 : 0,
    stretchedByMonths: Math.max(0, term - deal.termMonths),
    quotedAprDiffers: quote.aprPercent !== undefined && Math.abs(quote.aprPercent - deal.apr) > 0.005,
    negativeEquity: computeNegativeEquity(deal.tradeAllowance, deal.tradePayoff),
  } satisfies Omit<TPaymentCheck, 'customerNote'>;
  return { ...check, customerNote: noteFor(check, deal, quote) };
}

function noteFor(c: Omit<TPaymentCheck, 'customerNote'>, deal: TDealJacket, quote: TQuote): string {
  const quoted = `They quoted ${dollars(c.quoted)} a month${c.termMonths !== deal.termMonths ? ` for ${c.termMonths} months` : ''}`;
  const yours = `your base payment is ${dollars(deal.payment)} at ${deal.apr}% for ${deal.termMonths} months`;
  const atTerm = c.termMonths !== deal.termMonths ? `, ${dollars(c.basePayment)} at ${c.termMonths} months` : '';
  const verdict = {
    matches_base: c.termMonths === deal.termMonths ? ', so that matches your base with no products.' : `${atTerm}, so that matches with no products.`,
    matches_products: `${atTerm}, so that includes ${c.matchedProducts.join(', ').replace(/, ([^,]*)$/, ' and $1')}${c.possiblePacking ? ', which they have not mentioned.' : '.'}`,
    unexplained: `${atTerm}, so ${dollars(c.unexplainedAmount)} a month is unexplained.`,
    below_base: `${atTerm}, so that is ${dollars(c.basePayment - c.quoted)} a month less than your real payment.`,
  }[c.verdict];
  const extras = [
    c.stretchedByMonths > 0 && `stretching the loan ${c.stretchedByMonths} months lowers the payment but costs more interest`,
    c.quotedAprDiffers && `they said ${quote.aprPercent}% but your approved rate is ${deal.apr}%`,
    c.negativeEquity > 0 && `your loan carries ${dollars(c.negativeEquity)} of negative equity from your trade`,
  ].filter((s): s is string => typeof s === 'string');
  const second = extras.length ? ` ${extras.join('; ').replace(/^./, (ch) => ch.toUpperCase())}.` : '';
  return `${quoted}; ${yours}${verdict}${second}`;
}

/** The same check as a tool, for LLMs that call functions reliably (OpenAI); the local model never calls it. */
export function checkPaymentTool(deal: TDealJacket) {
  return llm.tool({
    description: 'Check a monthly payment the finance manager just quoted against your deal. Returns what you privately know about it.',
    parameters: z.object({
      monthlyPayment: z.number().describe('The monthly payment they quoted, in dollars'),
      aprPercent: z.number().optional().describe('The APR they quoted, as a percentage such as 6.9'),
      termMonths: z.number().optional().describe('The loan term they quoted, in months'),
      productsMentioned: z.array(z.string()).optional().describe('Products they said the payment includes, e.g. GAP'),
    }),
    execute: async ({ monthlyPayment, aprPercent, termMonths, productsMentioned }) => {
      const quote = { payment: monthlyPayment, aprPercent, termMonths, productsNamed: namedProducts((productsMentioned ?? []).join(' ')) };
      try {
        return checkQuotedPayment({ deal, quote }).customerNote;
      } catch (error) {
        if (error instanceof RangeError) throw new llm.ToolError(error.message);
        throw error;
      }
    },
  });
}
