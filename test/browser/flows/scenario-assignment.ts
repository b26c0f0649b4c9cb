import { expect } from 'vitest';
import { demoUser, signIn, textMatches, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

const TITLE = 'Negative equity on a used RAV4';

/**
 * A manager builds a role-play in the scenario builder (the payment is computed as the deal is
 * typed), assigns it to the trainee with a due date and pass mark, and the trainee finds it at the
 * top of their practice page, ready to start.
 */
export async function managerBuildsAndAssigns(suite: TBrowserSuite): Promise<void> {
  const { page, log, screenshot } = await suite.openPage('scenario-builder');
  const timer = suite.timer('scenario builder and assignment');
  await signIn(page, 'dealership_admin', '/scenarios/new', 'New scenario');
  timer.phase('signed in');

  const form = page.getByRole('form', { name: 'Scenario' });
  await form.getByLabel('Title').fill(TITLE);
  await form.getByLabel('Summary').fill('A customer rolling negative equity from their trade into a used SUV.');
  await form.getByRole('radio', { name: 'Customer role-play' }).check();
  await form.getByLabel('Name', { exact: true }).fill('Dana Whitfield');
  await form.getByLabel('Voice').selectOption('slt');
  await form.getByLabel('Personality').fill('Friendly but careful with money; asks what every charge is for.');
  await form.getByLabel('Background').fill('Owes more on her old car than it is worth.');
  await form.getByLabel('Year').fill('2022');
  await form.getByLabel('Make').fill('Toyota');
  await form.getByLabel('Model', { exact: true }).fill('RAV4');
  await form.getByLabel('Condition').selectOption({ label: 'Used' });
  // 32,000 + 2,400 − 3,000 down − 8,000 allowance + 11,000 payoff = 34,400 financed.
  const deal: Array<[string, string]> = [
    ['Selling price ($)', '32000'],
    ['Taxes and fees ($)', '2400'],
    ['Cash down ($)', '3000'],
    ['Trade allowance ($)', '8000'],
    ['Trade payoff owed ($)', '11000'],
    ['APR (%)', '6.9'],
    ['Term (months)', '72'],
  ];
  for (const [label, value] of deal) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByLabel('Credit tier').selectOption({ label: 'Near prime' });
  // $34,400 at 6.9 % over 72 months, worked out by hand: 34400 × r / (1 − (1 + r)^−72), r = 0.069 / 12.
  await textMatches(page.getByTestId('amount-financed'), /^\$34,400\.00$/);
  await textMatches(page.getByTestId('monthly-payment'), /^\$584\.84$/);
  await form.getByRole('radio', { name: 'Medium' }).check();
  await form.getByLabel('Objection 1', { exact: true }).fill('Why is my payment higher than the salesperson said?');
  await form.getByRole('button', { name: 'Add objection' }).click();
  await form.getByLabel('Objection 2', { exact: true }).fill('I do not want to roll my old loan into this one.');
  await screenshot('scenario-form');
  await form.getByRole('button', { name: 'Create scenario' }).click();
  await page.waitForURL(/\/scenarios\/[0-9a-f-]{36}\?created=1$/, { timeout: 30_000 });
  await visible(page.getByRole('status').filter({ hasText: 'Scenario created.' }));
  await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
  timer.phase('created');

  await page.goto('/assignments');
  const assign = page.getByRole('form', { name: 'Assign a scenario' });
  await visible(assign);
  await assign.getByLabel('Scenario', { exact: true }).selectOption({ label: `${TITLE} (medium) — yours` });
  expect(await assign.getByLabel('Due date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await assign.getByLabel('Pass mark (1–100)').fill('70');
  const trainee = demoUser('trainee');
  await assign.getByRole('checkbox', { name: trainee.name, exact: true }).check();
  await assign.getByRole('button', { name: 'Assign' }).click();
  await visible(assign.getByRole('status').filter({ hasText: 'Assigned to 1 trainee.' }));
  // The progress table below lists it, not started yet.
  const progressRow = page.getByRole('row').filter({ hasText: TITLE });
  await textMatches(progressRow, new RegExp(`${trainee.name}[\\s\\S]*Not started`));
  timer.phase('assigned');
  await screenshot('assignments');

  // The trainee, in a browser of their own, sees it first thing on the practice page.
  const traineeView = await suite.openPage('trainee-assignments');
  await signIn(traineeView.page, 'trainee', '/practice', 'Practice');
  const mine = traineeView.page.getByRole('region', { name: 'Your assignments' });
  const item = mine.locator('li[data-assignment-id]').filter({ has: traineeView.page.getByRole('heading', { name: TITLE }) });
  await visible(item);
  expect(await item.innerText()).toMatch(/pass mark 70/);
  const start = item.getByRole('button', { name: `Start ${TITLE}` });
  expect(await start.isEnabled()).toBe(true);
  timer.phase('trainee sees it');
  await traineeView.screenshot('practice-assignments');
  expect([...unexpectedPageErrors(log), ...unexpectedPageErrors(traineeView.log)]).toEqual([]);
  timer.done();
}
