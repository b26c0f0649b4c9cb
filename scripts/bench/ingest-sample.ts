/*
 * The text of the benchmark's handbook: F&I training prose, about 2,500 characters per page (a
 * dense manual page), varied so passages differ, deterministic so runs compare. One page carries
 * a sentence found nowhere else, to check that retrieval finds the right page afterwards.
 */

const TOPICS = [
  'menu presentation',
  'vehicle service contracts',
  'GAP waivers',
  'tire and wheel protection',
  'credit reporting and adverse action',
  'rate participation and dealer reserve',
  'negative equity on trade-ins',
  'payment packing and disclosure',
];

const SENTENCES = [
  'Present every product on the menu to every customer, in the same order, with the price and the payment of each option.',
  'Quote a payment only together with the annual percentage rate and the term, so the customer can compare offers.',
  'Never describe a protection product as required to get the loan approved; it is always the customer’s choice.',
  'Write down the reason for any exception to the standard rate markup, and make sure it has nothing to do with the customer.',
  'When the trade is worth less than the payoff, show the negative equity as a separate line so the customer sees where it goes.',
  'Explain what the contract covers, what it excludes, how claims are paid and how the customer can cancel for a refund.',
  'Ask open questions about how long the customer keeps a vehicle and how far they drive before recommending any coverage.',
  'If the lender declines the application or changes the terms, the customer receives an adverse action notice with the reasons.',
  'Keep the signed menu in the deal jacket: it shows that every option was offered and which ones were declined.',
  'Review the buyer’s order, the retail installment contract and the menu together before the customer signs anything.',
];

export const NEEDLE_PAGE = 73;
export const NEEDLE_QUESTION = 'What does the Lakeside moonroof seal warranty pay for?';
const NEEDLE =
  'The Lakeside moonroof seal warranty pays for resealing a leaking moonroof and for water damage to the headliner, for three years.';

/** `count` pages of text; `variant` changes the wording so each upload has its own hash. */
export function samplePages(count: number, variant: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const page = index + 1;
    const topic = TOPICS[(page + variant) % TOPICS.length]!;
    const paragraphs: string[] = [`Chapter ${Math.ceil(page / 10)}, section ${page}: ${topic} (edition ${variant}).`];
    for (let p = 0; p < 3; p++) {
      const sentences = Array.from({ length: 6 }, (_, s) => SENTENCES[(page * 7 + p * 3 + s + variant) % SENTENCES.length]!);
      paragraphs.push(`${sentences.join(' ')} This applies to ${topic} in every deal.`);
    }
    if (page === NEEDLE_PAGE) paragraphs.push(NEEDLE);
    return paragraphs.join('\n');
  });
}
