import type { TDealJacket, TPersona } from '@avatar-adam/db';

/** The first thing the trainee hears. Spoken text: short sentences, no lists or markup. */
export function coachGreeting(opts: { persona: Pick<TPersona, 'name'>; traineeName: string }): string {
  const first = firstName(opts.traineeName);
  const hello = first ? `Hi ${first}, I'm ${opts.persona.name}` : `Hi, I'm ${opts.persona.name}`;
  return `${hello}, your F&I coach. What would you like to work on today?`;
}

/**
 * The role-play customer walks into the F&I office in character: their own name and the car they
 * just agreed to buy, taken from the deal jacket so it matches the numbers the trainee sees.
 */
export function customerGreeting(opts: {
  persona: Pick<TPersona, 'name'>;
  dealJacket: Pick<TDealJacket, 'vehicle'> | null;
}): string {
  const hello = `Hi, I'm ${opts.persona.name}.`;
  if (!opts.dealJacket) return `${hello} The salesperson said you'd finish up my paperwork.`;
  return `${hello} The salesperson said you'd finish up the paperwork on my ${describeVehicle(opts.dealJacket.vehicle)}.`;
}

export function describeVehicle(vehicle: TDealJacket['vehicle']): string {
  const condition = vehicle.condition === 'used' ? '' : vehicle.condition; // "used" goes unsaid
  return [condition, vehicle.year, vehicle.make, vehicle.model, vehicle.trim]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** The greeting of a session's persona: the coach's, or the role-play customer's. */
export function personaGreeting(
  scenario: { mode: 'coach' | 'roleplay'; persona: Pick<TPersona, 'name'>; dealJacket: Pick<TDealJacket, 'vehicle'> | null },
  traineeName: string,
): string {
  return scenario.mode === 'coach' ? coachGreeting({ persona: scenario.persona, traineeName }) : customerGreeting(scenario);
}
