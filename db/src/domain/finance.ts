/**
 * Deal maths used by scenarios, the role-play customer and the scorer. Amounts are dollars with
 * cents; APR is a yearly percentage (6.9 means 6.9 %).
 */

/** Standard amortised monthly payment for a simple-interest auto loan. */
export function computeMonthlyPayment(principal: number, aprPercent: number, termMonths: number): number {
  if (!(termMonths > 0) || !Number.isInteger(termMonths)) {
    throw new RangeError(`term must be a positive whole number of months, got ${termMonths}`);
  }
  if (principal < 0 || aprPercent < 0) throw new RangeError('principal and APR must not be negative');
  const monthlyRate = aprPercent / 100 / 12;
  if (monthlyRate === 0) return roundCents(principal / termMonths);
  const factor = (1 + monthlyRate) ** termMonths;
  return roundCents((principal * monthlyRate * factor) / (factor - 1));
}

/** Amount financed before any products: price + taxes/fees − cash down − trade equity. */
export function computeAmountFinanced(input: {
  price: number;
  taxesAndFees: number;
  downPayment: number;
  tradeAllowance: number;
  tradePayoff: number;
}): number {
  return roundCents(
    input.price + input.taxesAndFees - input.downPayment - input.tradeAllowance + input.tradePayoff,
  );
}

/** Positive when the trade is worth less than what is owed on it (rolled into the new loan). */
export function computeNegativeEquity(tradeAllowance: number, tradePayoff: number): number {
  return roundCents(Math.max(0, tradePayoff - tradeAllowance));
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
