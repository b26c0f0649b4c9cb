import { fiStep } from '@avatar-adam/db/schema';
import { normaliseForMatching, sortedTurns, traineeSentences, type TScoringTurn, type TSentence } from './transcript';

/**
 * Heuristic per-step scores from cue phrases the trainee said, in the order of the F&I process
 * (docs: fi-domain.md). Each step has a few observable behaviours worth points; the score is the
 * sum of the behaviours heard anywhere in the allowed part of the transcript, capped at 10.
 *
 * Scale (per step, 0–10): 0 = not heard at all; 1–4 = touched on; 5–7 = the core behaviour was
 * there; 8–10 = the step was done fully. Cues are phrases, so the scorer can always quote the
 * sentence that earned the points; the optional LLM judge can refine them, with a verified quote.
 */

export const MAX_STEP_SCORE = 10;
export const FI_STEPS = fiStep.enumValues;
export type TFiStep = (typeof FI_STEPS)[number];

export type TStepScore = {
  step: TFiStep;
  score: number;
  maxScore: number;
  evidenceQuote: string | null;
  turnSequence: number | null;
  rationale: string;
  /** False only for objection handling when the customer raised no objection: not counted. */
  applicable: boolean;
};

type TCue = { label: string; points: number; pattern: RegExp };

const PRODUCT_WORD = String.raw`\b(?:gap|service contract|extended warranty|vsc|tire (?:and|&) wheel|road hazard|appearance|paint|maintenance|key replacement|theft|dent)\b`;
const RECOMMEND = String.raw`\b(?:i (?:would |'d |strongly |really )?recommend|my recommendation|i (?:would |'d )?suggest|let's go (?:with|ahead with)|let's (?:add|include|get you)|i'd go with|the best (?:option|fit|choice) for you)`;
const TIES_TO_NEEDS = /\b(?:since you|because you|you (?:mentioned|said|told me)|based on what you|sounds like you|with (?:the )?\d[\d,]* miles|you (?:drive|keep) (?:a lot|it|them|your cars))\b/;

const CUES: Record<TFiStep, TCue[]> = {
  greeting: [
    { label: 'greeted the customer', points: 4, pattern: /\b(?:hi|hello|hey|good (?:morning|afternoon|evening)|welcome)\b/ },
    { label: 'introduced themself and their role', points: 3, pattern: /\bmy name is\b|\b(?:i'm|i am) (?:the|your) (?:finance|f&i|f and i|business)\b|\bi'll be (?:helping|taking care of|working with) you\b/ },
    { label: 'congratulated them on the purchase', points: 3, pattern: /\b(?:congratulations|congrats|great choice|nice choice)\b/ },
    { label: 'thanked them or built rapport', points: 2, pattern: /\b(?:thank you for|thanks for|(?:nice|great|good|a pleasure) to meet)\b/ },
  ],
  base_statement: [
    { label: 'explained what will happen', points: 4, pattern: /\bwhat we(?:'ll| will|'re going to| are going to) do\b|\bhere's (?:what|how)\b|\bwalk you through\b|\bgo over\b|\breview (?:the|your) (?:numbers|paperwork|contract|documents|options)\b/ },
    { label: 'said how long it will take', points: 4, pattern: /\b\d+\s*(?:minutes|mins)\b|\b(?:won't|shouldn't|will not|should not) take long\b/ },
    { label: 'mentioned finalising the paperwork', points: 2, pattern: /\b(?:paperwork|finali[sz]e|wrap up|get you on your way)\b/ },
  ],
  interview: [
    { label: 'verified personal details or the numbers', points: 3, pattern: /\b(?:verify|confirm|double-check|make sure)\b[^.]*\b(?:address|phone|name|employ\w*|information|details|numbers|price|down payment|trade)\b|\bstill (?:at|living at|working at|with)\b/ },
    { label: 'checked insurance', points: 2, pattern: /\binsurance (?:company|card|agent|carrier|provider|policy|information)\b|\bwho(?: is|'s) your insurance\b|\bwho are you insured\b/ },
    { label: 'reviewed credit', points: 1, pattern: /\bcredit (?:score|report|application|history|app)\b/ },
    { label: 'asked about miles driven', points: 2, pattern: /\bhow many miles\b|\bmiles (?:a|per|each) (?:year|month|day|week)\b|\bhow far\b|\bcommute\b/ },
    { label: 'asked how long they keep vehicles', points: 2, pattern: /\bhow long (?:do|will|would) you (?:usually |normally |typically |plan to |expect to )?(?:keep|own|drive|hold on)\b|\bplan(?:ning)? (?:to keep|on keeping)\b/ },
  ],
  needs_awareness: [
    { label: 'asked about budget', points: 3, pattern: /\bbudget\b|\bcomfortable (?:with|paying)\b|\b(?:payment|range) (?:in mind|works for you)\b/ },
    { label: 'asked about past experiences', points: 3, pattern: /\bhave you (?:ever )?(?:had|used|bought|purchased|needed)\b|\bin the past\b|\b(?:last|previous|old|other) (?:car|vehicle|truck)\b|\brepair (?:bill|cost)s?\b/ },
    { label: 'connected their answers to their needs', points: 4, pattern: TIES_TO_NEEDS },
  ],
  menu_presentation: [
    // Not a bare "options": the base statement's "I'll go over your options" is not the menu.
    { label: 'presented a menu of options', points: 2, pattern: /\bmenu\b|\b(?:here (?:is|are)|these|those) (?:the |your )?(?:options|packages)\b/ },
    { label: 'said the products are optional', points: 3, pattern: /\b(?:optional|voluntary|your choice|up to you)\b|\bnone of (?:this|these|it) is required\b/ },
    { label: 'showed the base payment first', points: 3, pattern: /\bbase payment\b|\bpayment (?:before|without) (?:any )?(?:products|options|add-ons)\b|\bwithout (?:any )?(?:products|protection)\b/ },
    { label: 'named the products', points: 2, pattern: new RegExp(PRODUCT_WORD) },
  ],
  objection_handling: [
    { label: 'acknowledged the concern', points: 4, pattern: /\b(?:i understand|i hear you|that makes sense|fair (?:point|enough|question)|(?:good|great) question|i get (?:it|that)|i appreciate|i can see why|you're right|a lot of (?:my )?(?:customers|people) (?:feel|say|ask))\b/ },
    { label: 'asked what concerns them', points: 3, pattern: /\bwhat concerns you\b|\bwhat's your concern\b|\bwhat (?:part|makes you|worries you|is it about)\b|\bcan i ask (?:why|what)\b|\bis it the (?:price|payment|cost|coverage)\b/ },
    { label: 'tied the answer back to their needs', points: 3, pattern: new RegExp(`${TIES_TO_NEEDS.source}|\\bafter (?:the|your) (?:factory )?warranty\\b|\\bfactory warranty (?:ends|runs out|expires)\\b`) },
  ],
  re_close: [
    { label: 'made a specific recommendation', points: 6, pattern: new RegExp(RECOMMEND) },
    { label: 'named the product recommended', points: 2, pattern: new RegExp(`${RECOMMEND}[^.?!]*${PRODUCT_WORD}`) },
    { label: 'gave a reason for it', points: 2, pattern: new RegExp(`${RECOMMEND}[^.?!]*\\b(?:because|since|given|so that|so you)\\b`) },
  ],
  documents: [
    { label: 'asked for signatures', points: 3, pattern: /\bsign(?:ature|atures|ing|ed)?\b|\binitial here\b/ },
    { label: 'went through the contract', points: 2, pattern: /(?<!service )\bcontract\b|\bretail installment\b|\bbuyer's order\b/ },
    { label: 'covered the disclosures', points: 2, pattern: /\bdisclosures?\b|\btruth in lending\b|\bprivacy notice\b/ },
    { label: 'stated the Truth in Lending figures', points: 2, pattern: /\bamount financed\b|\bfinance charge\b|\btotal of payments\b/ },
    { label: 'offered them a copy', points: 1, pattern: /\bcop(?:y|ies) (?:of|for)\b|\bfor your records\b/ },
  ],
};

/** What a step needs, for the rationale of a step with no evidence. */
const MISSING: Record<TFiStep, string> = {
  greeting: 'greeted the customer or introduced themself at the start',
  base_statement: 'explained what will happen and how long it will take',
  interview: 'verified details or asked about miles, ownership, insurance or credit',
  needs_awareness: 'explored budget, past experiences or tied answers to needs',
  menu_presentation: 'presented the options as optional, starting from the base payment',
  objection_handling: 'acknowledged or explored the customer objection',
  re_close: 'made a specific recommendation (an open "any of these?" question does not count)',
  documents: 'covered the contract, disclosures or signatures',
};

/** Customer lines that are objections; handling is judged on the trainee's next turn. */
const OBJECTION =
  /\bfactory warranty\b|\b(?:don't|do not) (?:need|want)\b|\bnever (?:used|needed)\b|\bself-insure\b|\bthink about it\b|\btoo (?:expensive|much)\b|\bcan(?:'t|not) afford\b|\bcredit union\b|\bcheaper\b|\bjust (?:get|sign)\b|\bpaperwork\b|\bput (?:money|\d+|a lot) down\b|\bnot interested\b|\bno thanks\b|\bwaste\b|\brip-?off\b/;

/** The trainee sentences each step may draw on. */
function eligibleSentences(turns: readonly TScoringTurn[]): Record<'all' | 'opening' | 'afterObjection', TSentence[]> {
  const all = traineeSentences(turns);
  const ordered = sortedTurns(turns);
  const traineeSeqs = ordered.filter((t) => t.speaker === 'trainee').map((t) => t.sequence);
  const responses = new Set<number>();
  for (const t of ordered) {
    if (t.speaker !== 'agent' || !OBJECTION.test(normaliseForMatching(t.text))) continue;
    const next = traineeSeqs.find((s) => s > t.sequence);
    if (next !== undefined) responses.add(next);
  }
  const opening = new Set(traineeSeqs.slice(0, 2));
  return {
    all,
    opening: all.filter((s) => opening.has(s.turnSequence)),
    afterObjection: all.filter((s) => responses.has(s.turnSequence)),
  };
}

export function scoreSteps(turns: readonly TScoringTurn[]): TStepScore[] {
  const pools = eligibleSentences(turns);
  const objectionRaised = turns.some((t) => t.speaker === 'agent' && OBJECTION.test(normaliseForMatching(t.text)));
  return FI_STEPS.map((step) => {
    const pool = step === 'greeting' ? pools.opening : step === 'objection_handling' ? pools.afterObjection : pools.all;
    const applicable = step !== 'objection_handling' || objectionRaised;
    return scoreStep(step, pool, applicable);
  });
}

function scoreStep(step: TFiStep, pool: TSentence[], applicable: boolean): TStepScore {
  const cues = CUES[step];
  const heard = new Set<TCue>();
  let best: { sentence: TSentence; points: number } | null = null;
  for (const sentence of pool) {
    const text = normaliseForMatching(sentence.text);
    const matched = cues.filter((c) => c.pattern.test(text));
    matched.forEach((c) => heard.add(c));
    const points = matched.reduce((sum, c) => sum + c.points, 0);
    if (points > 0 && (!best || points > best.points)) best = { sentence, points };
  }
  const base = { step, maxScore: MAX_STEP_SCORE, applicable };
  if (!applicable) {
    return { ...base, score: 0, evidenceQuote: null, turnSequence: null, rationale: 'The customer raised no objection, so this step is not counted.' };
  }
  if (!best) return { ...base, score: 0, evidenceQuote: null, turnSequence: null, rationale: `The trainee never ${MISSING[step]}.` };
  const score = Math.min(MAX_STEP_SCORE, [...heard].reduce((sum, c) => sum + c.points, 0));
  const missed = cues.filter((c) => !heard.has(c)).map((c) => c.label);
  const rationale = `Heard: ${cues.filter((c) => heard.has(c)).map((c) => c.label).join(', ')}${missed.length ? `; not heard: ${missed.join(', ')}` : ''}.`;
  return { ...base, score, evidenceQuote: best.sentence.text, turnSequence: best.sentence.turnSequence, rationale };
}
