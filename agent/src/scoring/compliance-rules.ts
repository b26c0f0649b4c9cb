import type { TDealJacket } from '@avatar-adam/db';
import { findPaymentQuotes, statesApr, statesTerm } from './payment-quotes';
import { normaliseForMatching, sortedTurns, splitSentences, type TScoringTurn } from './transcript';

/**
 * Deterministic compliance detectors over what the TRAINEE (playing the F&I manager) said. An
 * auto-fail here fails the whole role-play, so every rule prefers missing a violation to inventing
 * one: questions, reported speech ("people think GAP is required"), any negation or any "optional"
 * in the sentence switch a rule off (except the negations that make the claim: "GAP isn't
 * optional", "the bank won't approve you without GAP"). The LLM judge (when present) may add findings for a person to
 * review; it cannot remove these.
 */

export type TComplianceRule = 'payment_without_apr_term' | 'product_required' | 'approval_tied_to_product' | 'payment_packing';
export type TComplianceFinding = {
  rule: TComplianceRule;
  severity: 'auto_fail' | 'warning';
  turnSequence: number;
  /** The whole sentence as the trainee said it. */
  evidenceQuote: string;
  explanation: string;
};

/**
 * Protection products by name. Not bare "insurance", "coverage" or "maintenance": lenders really do
 * require proof of insurance, and factory warranties really do require maintenance. A product's
 * paperwork ("sign the GAP disclosure") is not the product.
 */
export const PRODUCT = String.raw`(?:(?:gap(?! between| in )(?: insurance| coverage| protection)?|(?:vehicle )?service contracts?|vsc|extended (?:warrant(?:y|ies)|service plan)|(?<!factory |manufacturer's |powertrain )warrant(?:y|ies)|tire (?:and|&|n) wheel|tire-and-wheel|road hazard|appearance (?:protection|package|plan)|paint (?:and|&) fabric|paint protection|prepaid maintenance|maintenance (?:plan|package|contract)|key replacement|theft (?:deterrent|protection)|etch(?:ing)?|dent (?:repair|protection)|protection (?:products?|packages?|plans?)|(?:these|those|the|any|our|all) (?:products|add-ons|protection plans)|add-ons)(?!\s+(?:disclosures?|forms?|paperwork|documents?|brochures?|waivers?|declination|limits?)))`;
/** Only pronouns that point back at the product; "this/that is required" is usually a form or a signature. */
const PRONOUN = String.raw`(?:it|they|them)`;
const HAS_PRODUCT = new RegExp(String.raw`\b${PRODUCT}\b`);

const NEGATION = /\b(?:not|never|no|nothing|none|nobody|neither|nor)\b|n't\b/;
const CHOICE = /\b(?:optional|voluntary|elective|up to you|your (?:choice|call|decision)|if you (?:want|like|choose|prefer))\b/;
/** Someone else's claim being corrected ("some dealers will tell you GAP is required"). */
const REPORTED =
  /\b(?:people|folks|customers|some|they|you|dealers|others|friends?|everyone|somebody|someone) (?:may |might |will |often )?(?:think|thinks|thought|believe|believes|say|said|says|claim|claims)\b|\b(?:heard|myth|rumou?r|tell you|told you)\b/;
const INDEPENDENT =
  /\b(?:regardless|either way|with or without|whether or not|whether you|nothing to do with|independent|same (?:rate|approval|apr))\b|\b(?:doesn't|does not|don't|do not|won't|will not|isn't|is not)\s+(?:depend|change|affect|require|need|have to|matter|tied|contingent|conditional|based)/;

/** Required-claim shapes; `p` is the product (or, with a product in context, a pronoun). */
function requiredPatterns(p: string): RegExp[] {
  const verb = String.raw`(?:\s+(?:is|are|will be|would be|isn't|aren't|is not|are not)|'s|'re)`;
  return [
    // "GAP is required", "the service contract on this loan is mandatory", "GAP isn't optional".
    // Not "a must": "GAP is a must with so little down" is a (strong) recommendation. A pronoun
    // must end the clause: "it's required for this loan", not "it is required by law that I …".
    new RegExp(
      String.raw`\b${p}${p === PRODUCT ? String.raw`(?:\s+\w+){0,3}?` : ''}${verb}\s+(?:\w+\s+){0,2}?(?:required|mandatory|compulsory|a requirement|non-negotiable|optional)\b` +
        (p === PRODUCT ? '' : String.raw`(?=\s*(?:$|[,;.!]|(?:for|on|with) (?:this|the|your) (?:loan|deal|car|vehicle|financing|approval)\b))`),
    ),
    // "you have to buy GAP", "you need to purchase it to …"
    new RegExp(String.raw`\b(?:have to|has to|must|need to|needs to|got to|gotta|required to|obligated to)\s+(?:\w+\s+)?(?:buy|purchase${p === PRODUCT ? '|get|take|add|carry|include' : ''})\s+(?:\w+\s+){0,2}?${p}\b`),
    // "this loan requires GAP", "the bank requires you to carry the service contract"
    new RegExp(String.raw`\b(?:requires?|mandates?|insists? on)\s+(?:you\s+to\s+(?:buy|purchase|get|carry|have)\s+)?(?:the\s+|a\s+|an\s+)?${p}\b`),
  ];
}

/** Tying shapes: approval, rate or lender acceptance conditioned on a product. */
function tyingPatterns(p: string): RegExp[] {
  const approval = String.raw`(?:approv\w*|qualif\w*|(?:this|that|the|your|a|our) (?:rate|apr|interest rate|loan|financing)|the (?:bank|lender|credit union|finance company))`;
  const need = String.raw`(?:need|needs|have to|has to|must|got to|gotta)`;
  return [
    new RegExp(String.raw`${approval}[^.]*\bonly\b[^.]*\b(?:with|if)\b[^.]*\b${p}\b|\bonly\b[^.]*\b(?:with|if)\b[^.]*\b${p}\b[^.]*${approval}`),
    new RegExp(String.raw`\b${need}\s+(?:\w+\s+){0,2}?${p}\s+(?:\w+\s+){0,2}?(?:to|for|in order to)\s+(?:\w+\s+){0,3}?${approval}`),
    new RegExp(String.raw`\b(?:to|in order to)\s+(?:get|keep|lock in|qualify for|be)\s+(?:\w+\s+){0,2}?${approval}[^.]*\b${need}\b(?:\s+\w+){0,3}?\s+${p}\b`),
    new RegExp(String.raw`${approval}[^.]*\b(?:contingent|conditional|conditioned|dependent|depends|hinges|tied)\s+(?:up)?(?:on|to)\b[^.]*\b${p}\b`),
    new RegExp(String.raw`\bwithout\s+(?:\w+\s+){0,2}?${p}\b[^.]*\b(?:won't|will not|can't|cannot|wouldn't|couldn't|decline|deny|turn (?:you|it|this) down)\b[^.]*${approval}|${approval}[^.]*\b(?:won't|will not|can't|cannot|wouldn't|couldn't)\b[^.]*\bwithout\s+(?:\w+\s+){0,2}?${p}\b`),
    new RegExp(String.raw`\b(?:approv\w*|qualif\w*)[^.]*\bif you (?:take|buy|get|add|purchase|include)\b[^.]*\b${p}\b|\bif you (?:take|buy|get|add|purchase|include)\b[^.]*\b${p}\b[^.]*\b(?:approv\w*|qualif\w*)`),
  ];
}
const WITH_PRODUCT = { required: requiredPatterns(PRODUCT), tying: tyingPatterns(PRODUCT) };
const WITH_PRONOUN = { required: requiredPatterns(PRONOUN), tying: tyingPatterns(PRONOUN) };
const LENDER = /\b(?:approv\w*|qualif\w*|bank|lender|credit union|finance company|rate|apr)\b/;

/** Classifies one sentence: a tying claim, a bare "required" claim, or nothing. */
function classify(s: string, productInContext: boolean): 'approval_tied_to_product' | 'product_required' | null {
  if (s.trimEnd().endsWith('?') || REPORTED.test(s) || INDEPENDENT.test(s)) return null;
  const set = HAS_PRODUCT.test(s) ? WITH_PRODUCT : productInContext ? WITH_PRONOUN : null;
  if (!set) return null;
  for (const re of set.required) {
    const m = re.exec(s);
    if (!m) continue;
    const rest = s.replace(m[0], ' ');
    // "GAP isn't optional" is a claim; "GAP isn't required" or "… optional" anywhere is not.
    const claims = /optional/.test(m[0]) ? NEGATION.test(m[0]) : !NEGATION.test(m[0]);
    if (!claims || NEGATION.test(rest) || CHOICE.test(rest)) continue;
    return LENDER.test(s) ? 'approval_tied_to_product' : 'product_required';
  }
  if (NEGATION.test(s.replace(/\b(?:won't|will not|can't|cannot|wouldn't|couldn't)\b/g, '')) || CHOICE.test(s)) return null;
  return set.tying.some((re) => re.test(s)) ? 'approval_tied_to_product' : null;
}

const ASKS_REQUIRED = /\b(?:do|would|will) (?:i|we) (?:have|need|got) to (?:buy|get|take|purchase|have)\b|\b(?:required|mandatory|must i)\b/;
const BARE_YES = /^(?:yes|yeah|yep|yup|correct|absolutely|definitely|of course)[,!.]?(?:\s+(?:you|it|they|that|the bank|the lender)\s+(?:do|does|is|are|will|would))?[\s.!]*$/;

const EXPLAIN = {
  product_required: 'Protection products are optional; telling a customer one is required is a deceptive practice under state UDAP laws and the federal UDAAP standard.',
  approval_tied_to_product: 'Tying approval or the rate to buying a product is illegal tying; approval must never depend on a product.',
};

export function detectRequiredAndTying(turns: readonly TScoringTurn[]): TComplianceFinding[] {
  const findings: TComplianceFinding[] = [];
  const ordered = sortedTurns(turns);
  ordered.forEach((turn, i) => {
    if (turn.speaker !== 'trainee') return;
    const prev = ordered[i - 1];
    const customerAsked = prev?.speaker === 'agent' ? normaliseForMatching(prev.text) : '';
    const sentences = splitSentences(turn.text);
    const normalised = sentences.map(normaliseForMatching);
    // A bare "Yes." to "Do I have to buy GAP?" is the classic trap answer.
    const trap = customerAsked.includes('?') && ASKS_REQUIRED.test(customerAsked) && HAS_PRODUCT.test(customerAsked);
    if (trap && BARE_YES.test(normalised[0] ?? '') && !normalised.some((s) => NEGATION.test(s) || CHOICE.test(s))) {
      const explanation = `Answered "yes" when the customer asked whether a product is required. ${EXPLAIN.product_required}`;
      findings.push({ rule: 'product_required', severity: 'auto_fail', turnSequence: turn.sequence, evidenceQuote: sentences[0]!, explanation });
      return;
    }
    normalised.forEach((s, k) => {
      const context = HAS_PRODUCT.test(customerAsked) || normalised.slice(0, k).some((e) => HAS_PRODUCT.test(e));
      const rule = classify(s, context);
      if (rule) findings.push({ rule, severity: 'auto_fail', turnSequence: turn.sequence, evidenceQuote: sentences[k]!, explanation: EXPLAIN[rule] });
    });
  });
  return findings;
}

/** A payment quoted without both APR and term in this trainee turn or their previous one (TILA/Reg Z). */
export function detectPaymentWithoutAprTerm(turns: readonly TScoringTurn[]): TComplianceFinding[] {
  const findings: TComplianceFinding[] = [];
  let previous = '';
  for (const turn of sortedTurns(turns).filter((t) => t.speaker === 'trainee')) {
    const sentences = splitSentences(turn.text);
    const context = `${previous} ${normaliseForMatching(turn.text)}`;
    previous = normaliseForMatching(turn.text);
    const quoted = sentences.find((s) => findPaymentQuotes(normaliseForMatching(s)).length > 0);
    if (!quoted) continue;
    const missing = [!statesApr(context) && 'the APR', !statesTerm(context) && 'the term'].filter(Boolean);
    if (missing.length === 0) continue;
    const explanation = `A monthly payment was quoted without ${missing.join(' or ')}; Regulation Z expects the APR and the number of months to accompany a quoted payment.`;
    findings.push({ rule: 'payment_without_apr_term', severity: 'auto_fail', turnSequence: turn.sequence, evidenceQuote: quoted, explanation });
  }
  return findings;
}

/** Says outright that the inflated figure is the base payment: that is deliberate packing. */
const CALLED_BASE = /\b(?:base|starting|bank's|lender's) payment\b|\b(?:before|without) (?:any )?(?:products|options|add-ons|extras)\b|\bjust (?:for )?the (?:car|vehicle|truck)\b/;

/**
 * Payment packing: the first payment quoted is above the deal's base payment while no product has
 * been named yet, so products are hidden inside it. Needs the deal jacket; the tolerance absorbs
 * rounding ("about five hundred" for $489.37 is rounding, not packing).
 */
export function detectPaymentPacking(turns: readonly TScoringTurn[], deal: TDealJacket | null | undefined): TComplianceFinding[] {
  if (!deal) return [];
  const menuNames = deal.menu.map((p) => p.name.toLowerCase());
  let productNamed = false;
  for (const turn of sortedTurns(turns).filter((t) => t.speaker === 'trainee')) {
    for (const sentence of splitSentences(turn.text)) {
      const s = normaliseForMatching(sentence);
      productNamed ||= HAS_PRODUCT.test(s) || menuNames.some((n) => s.includes(n));
      const quote = findPaymentQuotes(s)[0];
      if (!quote) continue;
      const tolerance = quote.approximate ? Math.max(15, deal.payment * 0.03) : Math.max(3, deal.payment * 0.01);
      if (productNamed || quote.amount <= deal.payment + tolerance) return [];
      const over = Math.round(quote.amount - deal.payment);
      return [{
        rule: 'payment_packing',
        severity: CALLED_BASE.test(s) ? 'auto_fail' : 'warning',
        turnSequence: turn.sequence,
        evidenceQuote: sentence,
        explanation: `The first payment quoted is about $${over} above the base payment of $${deal.payment.toFixed(2)}, before any product was presented; show the base payment first, then add products openly.`,
      }];
    }
  }
  return [];
}

export function detectComplianceIssues(opts: { turns: readonly TScoringTurn[]; dealJacket?: TDealJacket | null }): TComplianceFinding[] {
  return [
    ...detectPaymentWithoutAprTerm(opts.turns),
    ...detectRequiredAndTying(opts.turns),
    ...detectPaymentPacking(opts.turns, opts.dealJacket),
  ].sort((a, b) => a.turnSequence - b.turnSequence);
}
