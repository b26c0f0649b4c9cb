// bench:web's browser figure: how long /practice takes to become usable in Debian's Chromium —
// from navigation start until a "Start practice" button is on screen AND hydrated (React has
// attached its handlers, so a click would start a session), plus the navigation timing around it.
import { chromium } from 'playwright-core';

/*
 * Run in the page (strings: this workspace compiles without DOM types). React stores a node's
 * props under "__reactProps$…" when it hydrates it; before that a click on the server-rendered
 * button does nothing. The first moment the button is hydrated is kept on window.
 */
const HYDRATED_START_BUTTON = `(() => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Start practice');
  const ready = !!button && Object.keys(button).some((k) => k.startsWith('__reactProps$'));
  if (ready && window.benchInteractiveAt === undefined) window.benchInteractiveAt = performance.now();
  return ready;
})()`;
const READ_TIMING = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return { ttfbMs: nav.responseStart, domContentLoadedMs: nav.domContentLoadedEventEnd, interactiveMs: window.benchInteractiveAt };
})()`;

export type TPageLoad = { ttfbMs: number; domContentLoadedMs: number; interactiveMs: number };

/** Chromium, one fresh context per load (empty cache) with the signed-in session cookie. */
export async function measurePracticeLoads(opts: { baseUrl: string; sessionCookie: string; loads: number; executablePath?: string }): Promise<TPageLoad[]> {
  const browser = await chromium.launch({
    executablePath: opts.executablePath ?? process.env.AVATAR_ADAM_TEST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-dev-shm-usage'],
  });
  const [name, value] = opts.sessionCookie.split('=') as [string, string];
  const loads: TPageLoad[] = [];
  try {
    for (let i = 0; i < opts.loads; i++) {
      const context = await browser.newContext();
      await context.addCookies([{ name, value, url: opts.baseUrl }]);
      const page = await context.newPage();
      await page.goto(`${opts.baseUrl}/practice`, { waitUntil: 'commit' });
      await page.waitForFunction(HYDRATED_START_BUTTON, undefined, { timeout: 60_000, polling: 'raf' });
      const timing = (await page.evaluate(READ_TIMING)) as { ttfbMs: number; domContentLoadedMs: number; interactiveMs: number };
      loads.push({
        ttfbMs: Math.round(timing.ttfbMs),
        domContentLoadedMs: Math.round(timing.domContentLoadedMs),
        interactiveMs: Math.round(timing.interactiveMs),
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return loads;
}
