import { expect } from 'vitest';
import { signIn, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

/**
 * The platform admin's job: create a dealership with its first manager's invitation, suspend it,
 * and check the platform's health (database, LiveKit and the registered agent worker of this stack).
 */
export async function superAdminRunsThePlatform(suite: TBrowserSuite): Promise<void> {
  const { page, log, screenshot } = await suite.openPage('platform-admin');
  const timer = suite.timer('platform admin');
  await signIn(page, 'super_admin', '/admin', 'Dealerships');

  const form = page.getByRole('form', { name: 'Create a dealership' });
  await form.getByLabel('Dealership name').fill('Harbor Auto Group');
  await form.getByLabel('First manager’s email').fill('gm@harbor-auto.example');
  await form.getByRole('button', { name: 'Create dealership' }).click();
  await visible(form.getByRole('status').filter({ hasText: 'Harbor Auto Group was created.' }));
  const row = page.getByRole('row').filter({ hasText: 'Harbor Auto Group' });
  await visible(row.getByText('Active', { exact: true }));
  timer.phase('created');

  await row.getByRole('button', { name: 'Suspend Harbor Auto Group' }).click();
  await row.getByRole('button', { name: 'Yes, suspend' }).click();
  await visible(page.getByRole('row').filter({ hasText: 'Harbor Auto Group' }).getByText('Suspended', { exact: true }));
  timer.phase('suspended');
  await screenshot('admin-dealerships');

  await page.goto('/admin/health');
  await visible(page.getByRole('heading', { name: 'Platform health', level: 1 }));
  for (const part of ['Database', 'LiveKit', 'Agent workers']) {
    await visible(page.getByRole('region', { name: `${part}: OK` }));
  }
  await visible(page.getByRole('region', { name: /^Queue depth: / }));
  timer.phase('health all OK');
  await screenshot('admin-health');
  expect(unexpectedPageErrors(log)).toEqual([]);
  timer.done();
}
