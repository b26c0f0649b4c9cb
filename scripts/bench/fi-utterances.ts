/**
 * What a trainee F&I manager says to a customer across the table: the fixed speech set of
 * `npm run bench:engines`. Each line is synthesised by a local TTS voice and transcribed back by the
 * STT engine, so no audio has to ship with the repository.
 *
 * Numbers are written as a speaker says them ("seventy-two months", "six point nine percent"); the
 * bench spells out any digits whisper writes ("72", "6.9%") before scoring, so either form scores
 * alike. Amounts avoid forms that have two spoken readings ("fifteen hundred", years, cents).
 */
export const FI_UTTERANCES: readonly string[] = [
  // Opening and menu presentation
  "Thanks for waiting. I'm going to walk you through your paperwork and a few options that protect your investment.",
  "I'd like to show you a menu with three options, and you can pick the one that fits your budget.",
  'The platinum option includes the service contract, GAP, and tire and wheel for about forty dollars more a month.',
  "Let's go over the amount financed before you sign anything today.",
  // Payments, APR and term
  'Your payment on this deal is four hundred twelve dollars a month for seventy-two months.',
  'The bank approved you at six point nine percent APR, which is a strong rate for your credit.',
  'If we shorten the term to sixty months, your payment goes up, but you save a lot on interest.',
  "You're financing thirty-eight thousand dollars after your down payment and your trade.",
  "The rate is fixed, so your payment won't change for the whole term of the loan.",
  'Just so you know, a longer term means you pay more interest over the life of the loan.',
  'Your first payment is due in forty-five days, so you have some breathing room.',
  'Can I ask what monthly payment you had in mind when you came in today?',
  // GAP
  'GAP covers the difference between what you owe and what your insurance pays if the car is totaled.',
  'Since you are putting very little down, GAP protection makes a lot of sense on this loan.',
  "If the car is stolen, GAP pays off the rest of the loan, so you're not paying for a car you don't have.",
  // Vehicle service contract
  'The vehicle service contract covers the engine, the transmission, and the electronics after the factory warranty ends.',
  'The factory warranty covers three years or thirty-six thousand miles, whichever comes first.',
  "You drive about twenty thousand miles a year, so you'll be past the factory warranty long before the loan is paid off.",
  'Modern cars have a lot of sensors and screens, and one repair can easily cost more than the whole contract.',
  'The service contract is transferable, so it can add value when you sell the car.',
  "If you cancel the contract later, you'll get a prorated refund of the unused part.",
  // Tire and wheel, other products
  'Tire and wheel protection covers road hazards like potholes, nails, and bent rims.',
  'Adding tire and wheel only raises your payment by about nine dollars a month.',
  'The appearance package protects the paint and the interior from stains, sun damage, and door dings.',
  "Prepaid maintenance locks in today's prices for your oil changes and tire rotations for three years.",
  // Negative equity
  "Your trade is worth less than what you still owe on it, so there's about six thousand dollars of negative equity.",
  'We can roll that negative equity into the new loan, but it will raise your monthly payment.',
  'With negative equity in the loan, you would owe more than the truck is worth for the first couple of years.',
  // Objection handling
  'I understand you want to think about it. Which part of the coverage are you unsure about?',
  'A lot of my customers felt the same way until they saw what a transmission repair costs.',
  "None of these products are required to get your loan approved. They're completely optional.",
  "Your credit union rate may look lower, but they won't let you add the service contract to the loan.",
  'I hear you on the payment. Would it help if we extended the term to eighty-four months?',
  'I can take the appearance package off and keep GAP, which brings you back under your budget.',
  // Closing
  'Please initial here to confirm that you were offered these products and chose to decline them.',
  'What would make you comfortable moving forward with the protection today?',
];

/** The topics the set must cover (each matched case-insensitively in at least one line). */
export const FI_TOPICS: Readonly<Record<string, RegExp>> = {
  payment: /\bpayment\b/i,
  apr: /\bAPR\b/,
  term: /\bterm\b/i,
  gap: /\bGAP\b/,
  serviceContract: /\bservice contract\b/i,
  tireAndWheel: /\btire and wheel\b/i,
  negativeEquity: /\bnegative equity\b/i,
  menu: /\bmenu\b/i,
  objection: /\bthink about it\b|\bcredit union\b|\brequired\b/i,
};

/**
 * Splits an utterance where the voice pipeline's sentence tokenizer would, so every synthesis
 * call gets one sentence, as in a session ("first audio after the sentence arrives").
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.?!])\s+(?=[A-Z"'])/)
    .map((s) => s.trim())
    .filter(Boolean);
}
