import type { TDealJacket, TMenuProduct, TPatience, TScenarioInput } from '@avatar-adam/db/scenario-input';

/** Plain-language words for the builder's codes, shared by the form and the preview. */

export const DIFFICULTY_OPTIONS: Record<TScenarioInput['difficulty'], { label: string; hint: string }> = {
  easy: { label: 'Easy', hint: 'Raises one objection; a clear, honest answer settles it.' },
  medium: {
    label: 'Medium',
    hint: 'Raises two objections; agrees when a benefit is tied to their needs and the payment fits their budget.',
  },
  hard: {
    label: 'Hard',
    hint: 'Raises three objections and pushes back, returning to the first; agrees only to a specific recommendation with exact numbers.',
  },
};

export type TPatiencePreset = 'brisk' | 'normal' | 'patient' | 'very_patient' | 'custom';

/**
 * Endpointing: how long the customer waits after the trainee stops talking before answering. The
 * shortest wait applies when the trainee's sentence sounds finished, and is what a trainee
 * notices; the longest when the agent's turn detector hears them trail off mid-sentence ("…for",
 * "and…"). Changing a preset's values: also move the scenarios saved with the old ones (a
 * migration, as db/migrations/0008_retune_patience_presets.sql did).
 */
export const PATIENCE_PRESETS: Record<Exclude<TPatiencePreset, 'custom'>, TPatience> = {
  brisk: { minEndpointingDelayMs: 200, maxEndpointingDelayMs: 2500 },
  normal: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 3000 },
  patient: { minEndpointingDelayMs: 900, maxEndpointingDelayMs: 8000 },
  very_patient: { minEndpointingDelayMs: 1500, maxEndpointingDelayMs: 12000 },
};

export const PATIENCE_LABELS: Record<TPatiencePreset, { label: string; hint: string }> = {
  brisk: { label: 'Quick to answer', hint: 'Answers as soon as the trainee finishes a sentence — for confident trainees.' },
  normal: {
    label: 'Normal',
    hint: 'Answers about a third of a second after the trainee finishes a sentence; waits up to 3 s when they trail off mid-sentence.',
  },
  patient: { label: 'Patient', hint: 'Lets the trainee pause to think for about a second.' },
  very_patient: { label: 'Very patient', hint: 'Waits a second and a half — for new trainees who think aloud.' },
  custom: { label: 'Custom', hint: 'Set the waits yourself, in milliseconds.' },
};

export function patiencePresetOf(patience: TPatience): TPatiencePreset {
  const match = Object.entries(PATIENCE_PRESETS).find(
    ([, p]) =>
      p.minEndpointingDelayMs === patience.minEndpointingDelayMs && p.maxEndpointingDelayMs === patience.maxEndpointingDelayMs,
  );
  return (match?.[0] as TPatiencePreset | undefined) ?? 'custom';
}

/** The agent maps a persona's voice hint onto its voices; these are the built-in (flite) ones. */
export const VOICE_OPTIONS = [
  { value: 'slt', label: 'Female, American (slt)' },
  { value: 'rms', label: 'Male, American (rms)' },
  { value: 'awb', label: 'Male, Scottish (awb)' },
  { value: 'kal16', label: 'Male, American, clear (kal16)' },
  { value: 'kal', label: 'Male, American, telephone quality (kal)' },
] as const;

export const PRODUCT_KINDS = {
  service_contract: 'Service contract',
  gap: 'GAP',
  tire_wheel: 'Tire & wheel',
  dent_repair: 'Dent repair',
  appearance: 'Appearance protection',
  prepaid_maintenance: 'Prepaid maintenance',
  key_replacement: 'Key replacement',
  theft_deterrent: 'Theft deterrent',
} as const satisfies Record<TMenuProduct['kind'], string>;

export const CREDIT_TIERS = {
  super_prime: 'Super prime',
  prime: 'Prime',
  near_prime: 'Near prime',
  subprime: 'Subprime',
  deep_subprime: 'Deep subprime',
} as const satisfies Record<TDealJacket['creditTier'], string>;

export const CONDITIONS = {
  new: 'New',
  used: 'Used',
  certified: 'Certified pre-owned',
} as const satisfies Record<TDealJacket['vehicle']['condition'], string>;

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const formatMoney = (amount: number) => usd.format(amount);
