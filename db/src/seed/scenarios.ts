import { computeAmountFinanced, computeMonthlyPayment } from '../domain/finance';
import type { TDealJacket, TMenuProduct } from '../domain/deal-jacket';
import type { TPatience, TPersona } from '../domain/persona';

export type TSeedScenario = {
  /** Platform-wide scenarios have no dealership; 'demo' means the demo dealership. */
  owner: 'platform' | 'demo';
  title: string;
  summary: string;
  mode: 'coach' | 'roleplay';
  persona: TPersona;
  dealJacket: TDealJacket | null;
  objections: string[];
  difficulty: 'easy' | 'medium' | 'hard';
  patience: TPatience;
};

const MENU: TMenuProduct[] = [
  { kind: 'service_contract', name: 'Platinum service contract', price: 2495, termMonths: 72 },
  { kind: 'gap', name: 'GAP', price: 895 },
  { kind: 'tire_wheel', name: 'Tire & wheel', price: 749, termMonths: 60 },
  { kind: 'appearance', name: 'Appearance protection', price: 499, termMonths: 60 },
  { kind: 'prepaid_maintenance', name: 'Prepaid maintenance', price: 699, termMonths: 36 },
];

type TDealInput = Omit<TDealJacket, 'amountFinanced' | 'payment' | 'menu'> & { menu?: TMenuProduct[] };

/** Builds a deal whose amount financed and payment agree with the maths, as a real desk would. */
function deal(input: TDealInput): TDealJacket {
  const amountFinanced = computeAmountFinanced(input);
  return {
    ...input,
    amountFinanced,
    payment: computeMonthlyPayment(amountFinanced, input.apr, input.termMonths),
    menu: input.menu ?? MENU,
  };
}

const NORMAL: TPatience = { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 3000 };
const PATIENT: TPatience = { minEndpointingDelayMs: 900, maxEndpointingDelayMs: 8000 };

export const SEED_SCENARIOS: TSeedScenario[] = [
  {
    owner: 'platform',
    title: 'Ask Adam — F&I coach',
    summary: 'Ask Adam anything about the F&I process, products, objections or compliance.',
    mode: 'coach',
    persona: {
      name: 'Adam',
      voice: 'rms',
      personality: 'Seasoned F&I trainer: warm, direct, practical; short spoken answers.',
      background: 'Twenty years in dealership finance offices, now coaching new F&I managers.',
    },
    dealJacket: null,
    objections: [],
    difficulty: 'easy',
    patience: PATIENT,
  },
  {
    owner: 'platform',
    title: 'Warranty-skeptic engineer',
    summary: 'An analytical buyer who believes the factory warranty is all anyone needs.',
    mode: 'roleplay',
    persona: {
      name: 'Dana Whitfield',
      voice: 'slt',
      personality: 'Precise, calm, sceptical; asks for numbers and sources; dislikes sales talk.',
      background: 'Mechanical engineer, drives 24,000 miles a year, keeps cars eight years or more.',
    },
    dealJacket: deal({
      vehicle: { year: 2026, make: 'Toyota', model: 'Highlander', trim: 'XLE', condition: 'new' },
      price: 46850, taxesAndFees: 3420, downPayment: 5000, tradeAllowance: 9000, tradePayoff: 0,
      apr: 6.49, termMonths: 72, creditTier: 'super_prime',
    }),
    objections: [
      'The factory warranty covers me.',
      'Consumer Reports says extended warranties are a waste; I will self-insure.',
      'Show me the actual failure rates before I pay for coverage.',
    ],
    difficulty: 'medium',
    patience: NORMAL,
  },
  {
    owner: 'platform',
    title: 'Payment-focused first-time buyer',
    summary: 'A young buyer with thin credit who only cares about the monthly payment.',
    mode: 'roleplay',
    persona: {
      name: 'Jordan Reyes',
      voice: 'awb',
      personality: 'Friendly, nervous about money, easily confused by jargon; asks "what is my payment?"',
      background: 'First full-time job, first financed car, budget of about $400 a month.',
    },
    dealJacket: deal({
      vehicle: { year: 2025, make: 'Honda', model: 'Civic', trim: 'Sport', condition: 'certified', mileage: 18400 },
      price: 24990, taxesAndFees: 1980, downPayment: 1500, tradeAllowance: 0, tradePayoff: 0,
      apr: 11.9, termMonths: 72, creditTier: 'near_prime',
    }),
    objections: ['That is too expensive for me.', 'I need to think about it.', 'Do I have to buy GAP to get approved?'],
    difficulty: 'easy',
    patience: PATIENT,
  },
  {
    owner: 'platform',
    title: 'Negative equity, stretched budget',
    summary: 'A buyer rolling an upside-down trade into a long loan, anxious about cash flow.',
    mode: 'roleplay',
    persona: {
      name: 'Marcus Hill',
      voice: 'rms',
      personality: 'Stressed, blunt, suspicious the dealer is hiding costs; checks every number.',
      background: 'Owes more on his truck than it is worth; two kids; wants the lowest payment possible.',
    },
    dealJacket: deal({
      vehicle: { year: 2026, make: 'Ford', model: 'F-150', trim: 'XLT', condition: 'new' },
      price: 52400, taxesAndFees: 4150, downPayment: 0, tradeAllowance: 21000, tradePayoff: 27800,
      apr: 8.9, termMonths: 84, creditTier: 'prime',
    }),
    objections: [
      'Why is my payment higher than the salesperson said?',
      'I put nothing down because I cannot afford more each month.',
      'Just get me through the paperwork.',
      'My credit union would give me a better deal on all of this.',
    ],
    difficulty: 'hard',
    patience: NORMAL,
  },
  {
    owner: 'platform',
    title: 'In a hurry professional',
    summary: 'A busy doctor who wants to sign and leave in ten minutes.',
    mode: 'roleplay',
    persona: {
      name: 'Dr. Priya Nair',
      voice: 'slt',
      personality: 'Polite but impatient, checks her phone, respects competence and brevity.',
      background: 'Surgeon, leases usually, buying this time; parks in a hospital garage.',
    },
    dealJacket: deal({
      vehicle: { year: 2026, make: 'Lexus', model: 'RX 350', trim: 'Premium', condition: 'new' },
      price: 58900, taxesAndFees: 4480, downPayment: 15000, tradeAllowance: 0, tradePayoff: 0,
      apr: 4.9, termMonths: 60, creditTier: 'super_prime',
    }),
    objections: ["Let's just get through the paperwork.", 'I never used one of these before.', 'I need to think about it.'],
    difficulty: 'medium',
    patience: NORMAL,
  },
  {
    owner: 'platform',
    title: 'Is GAP required?',
    summary: 'A customer who asks directly whether products are required for approval: a tying trap.',
    mode: 'roleplay',
    persona: {
      name: 'Sam Ortiz',
      voice: 'awb',
      personality: 'Straightforward, a little wary; asks yes-or-no questions and expects straight answers.',
      background: 'Heard from a friend that the dealer "made" them buy GAP; small down payment.',
    },
    dealJacket: deal({
      vehicle: { year: 2025, make: 'Chevrolet', model: 'Equinox', trim: 'LT', condition: 'new' },
      price: 31200, taxesAndFees: 2560, downPayment: 1000, tradeAllowance: 0, tradePayoff: 0,
      apr: 7.4, termMonths: 75, creditTier: 'prime',
    }),
    objections: ['Do I have to buy GAP to get this rate?', 'I put money down, so I do not need GAP.', 'Is this required by the bank?'],
    difficulty: 'medium',
    patience: NORMAL,
  },
  {
    owner: 'demo',
    title: 'Service member on orders',
    summary: 'An active-duty buyer; the trainee must handle SCRA/MLA limits correctly.',
    mode: 'roleplay',
    persona: {
      name: 'Sergeant Alex Carter',
      voice: 'kal16',
      personality: 'Respectful, organised, knows some of their rights and asks about them.',
      background: 'Active duty, may be deployed within a year; wants to understand every add-on.',
    },
    dealJacket: deal({
      vehicle: { year: 2026, make: 'Subaru', model: 'Outback', trim: 'Limited', condition: 'new' },
      price: 39800, taxesAndFees: 2950, downPayment: 3000, tradeAllowance: 6500, tradePayoff: 4200,
      apr: 5.9, termMonths: 66, creditTier: 'prime',
    }),
    objections: [
      'Are these products allowed under the Military Lending Act?',
      'What happens to this contract if I am deployed?',
      'My credit union on base is cheaper.',
    ],
    difficulty: 'hard',
    patience: NORMAL,
  },
];
