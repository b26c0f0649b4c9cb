import { expect } from 'vitest';
import { signIn, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

/**
 * The phone page on a server without phone practice (this stack has no SIP bridge and no PIN
 * secret): it says so, and the manager cannot save a practice number that nothing would answer.
 */
export async function phonePageWhenDisabled(suite: TBrowserSuite): Promise<void> {
  const { page, log, screenshot } = await suite.openPage('phone');
  const timer = suite.timer('phone page');
  await signIn(page, 'dealership_admin', '/phone', 'Phone practice');
  await visible(page.getByRole('status').filter({ hasText: 'Phone practice is not enabled on this server.' }));
  const form = page.getByRole('form', { name: 'Practice number' });
  await visible(form);
  expect(await form.getByRole('button', { name: 'Save number' }).isDisabled()).toBe(true);
  timer.phase('notice shown');
  await screenshot('phone-disabled');
  expect(unexpectedPageErrors(log)).toEqual([]);
  timer.done();
}
