import { DEMO_PASSWORD, DEMO_USERS } from '@avatar-adam/db/seed';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export type TDemoUser = (typeof DEMO_USERS)[number];

export const demoUser = (role: TDemoUser['role']): TDemoUser => DEMO_USERS.find((u) => u.role === role)!;

/**
 * Opens `to` as a signed-out visitor, is sent to the sign-in form, signs in as the seeded user of
 * `role` and lands back on `to` with its heading shown.
 */
export async function signIn(page: Page, role: TDemoUser['role'], to: string, heading: string): Promise<TDemoUser> {
  const user = demoUser(role);
  await page.goto(to);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === to);
  await visible(page.getByRole('heading', { name: heading, level: 1 }));
  return user;
}

/** Waits until the locator's element is visible; fails naming the locator. */
export async function visible(locator: Locator, timeout = 30_000): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Waits until the (single) element's visible text matches. */
export async function textMatches(locator: Locator, pattern: RegExp, timeout = 30_000): Promise<string> {
  await expect.poll(async () => (await locator.innerText({ timeout: 5_000 }).catch(() => '')).trim(), { timeout, interval: 250 }).toMatch(pattern);
  return (await locator.innerText()).trim();
}

/** The `data-speaker` of each transcript line, in page order. */
export async function speakersOf(lines: Locator): Promise<Array<string | null>> {
  return Promise.all((await lines.all()).map((line) => line.getAttribute('data-speaker')));
}

/**
 * Page errors other than the one known library fault: `@livekit/components-core` (0.12.15,
 * `setupTextStream`) subscribes to each transcription stream without an error handler, so leaving
 * a room while a segment is still streaming throws "Room disconnected in the middle of receiving
 * data" as an uncaught error. Nothing on the page changes; the room is closing anyway.
 */
export function unexpectedPageErrors(log: string[]): string[] {
  return log.filter((line) => line.startsWith('[pageerror]') && line !== '[pageerror] Room disconnected in the middle of receiving data');
}
