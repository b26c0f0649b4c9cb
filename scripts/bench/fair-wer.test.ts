import { describe, expect, it } from 'vitest';
import { expandContractions, fairWordErrorRate, integerWords, joinCompounds, spellNumbers } from './engines/fair-wer';

describe('integerWords', () => {
  it.each([
    [0, 'zero'],
    [7, 'seven'],
    [13, 'thirteen'],
    [40, 'forty'],
    [72, 'seventy two'],
    [100, 'one hundred'],
    [412, 'four hundred twelve'],
    [1016, 'one thousand sixteen'],
    [38000, 'thirty eight thousand'],
    [63350, 'sixty three thousand three hundred fifty'],
    [2_000_005, 'two million five'],
  ])('%i → %s', (n, words) => {
    expect(integerWords(n).join(' ')).toBe(words);
  });

  it('rejects what is not a whole number', () => {
    expect(() => integerWords(-1)).toThrow(RangeError);
    expect(() => integerWords(1.5)).toThrow(RangeError);
  });
});

describe('spellNumbers', () => {
  it.each([
    ['Your payment is $412 a month for 72 months.', 'Your payment is four hundred twelve dollars a month for seventy two months.'],
    ['at 6.9% APR', 'at six point nine percent APR'],
    ['at 6.49 percent', 'at six point four nine percent'],
    ['about $6,000 of negative equity', 'about six thousand dollars of negative equity'],
    ['$1,016.03 a month', 'one thousand sixteen dollars and three cents a month'],
    ['$1 more', 'one dollar more'],
    ['a 72-month term', 'a seventy two-month term'],
    ['your 1st payment in 45 days', 'your first payment in forty five days'],
    ['the 20th and 3rd', 'the twentieth and third'],
    ['no digits here', 'no digits here'],
  ])('%s', (input, spoken) => {
    expect(spellNumbers(input)).toBe(spoken);
  });
});

describe('expandContractions and joinCompounds', () => {
  it('expands unambiguous contractions only', () => {
    expect(expandContractions("They're fine, you'll see, I'm sure we won't, it's done, I'd go")).toBe(
      "They are fine, you will see, I am sure we will not, it's done, I'd go",
    );
    expect(expandContractions('don’t')).toBe('do not');
  });

  it('joins a hyphenated word only when the other side has it joined', () => {
    expect(joinCompounds('Pre-paid maintenance, seventy-two', 'Prepaid maintenance, seventy two')).toBe('Prepaid maintenance, seventy-two');
    expect(joinCompounds('a pro-rated refund', 'a prorated refund')).toBe('a prorated refund');
  });
});

describe('fairWordErrorRate', () => {
  it('scores digits, contractions and compound spellings as the words spoken', () => {
    const pairs = [
      { reference: 'Your payment is four hundred twelve dollars a month for seventy-two months.', hypothesis: 'Your payment is $412 a month for 72 months.' },
      { reference: "They're completely optional.", hypothesis: 'They are completely optional.' },
      { reference: 'Prepaid maintenance locks in the price.', hypothesis: 'Pre-paid maintenance locks in the price.' },
    ];
    expect(fairWordErrorRate(pairs)).toBe(0);
  });

  it('still counts real recognition errors', () => {
    // 1 substitution ("bank" → "band") over 9 reference words.
    const wer = fairWordErrorRate([{ reference: 'The bank approved you at six point nine percent.', hypothesis: 'The band approved you at 6.9%.' }]);
    expect(wer).toBeCloseTo(1 / 9, 6);
  });
});
