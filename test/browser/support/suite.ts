import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed, onTestFinished } from 'vitest';
import { AUDIO_PROBE, launchChromium, writeSpeechWav } from '../../harness/browser';
import { startTestStack, type TestStack } from '../../harness/stack';
import { startWebApp, type TestWebApp } from '../../harness/web';

/**
 * What the trainee says into Chromium's fake microphone, once, after the agent's greeting. One
 * sentence: a pause between two could end the turn halfway.
 */
export const TRAINEE_SENTENCE = 'Hello and congratulations on your new car, let me walk you through the paperwork.';

/**
 * Pages the tests visit besides the practice page, compiled before any test starts (an id that is
 * no session or scenario still compiles the dynamic route: it redirects to sign-in first).
 */
const NO_ID = '00000000-0000-4000-8000-000000000000';
const WARM_ROUTES = ['/observe', '/documents', '/api/documents', '/scenarios/new', `/scenarios/${NO_ID}`, '/assignments', '/phone', `/sessions/${NO_ID}`, '/admin', '/admin/health'];

export type TOpenedPage = {
  page: Page;
  /** The page's console and errors, newest last (also appended to browser.log). */
  log: string[];
  /** Saves a full-page screenshot as `<screenshot dir>/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
};

export type TBrowserSuite = {
  readonly stack: TestStack;
  readonly web: TestWebApp;
  readonly browser: Browser;
  /** A fresh browser context and page, closed when the test ends (after a screenshot if it failed). */
  openPage(name: string, opts?: { audioProbe?: boolean }): Promise<TOpenedPage>;
  /** Phase timings for the current test, printed by `done()` like the foundation's browser test. */
  timer(label: string): { phase(name: string): void; done(): void };
};

const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

/**
 * One stack (database, livekit-server, agent worker), one `next dev` and one Chromium for every
 * test of the file: starting them and compiling the routes is the expensive part. Screenshots go
 * to `<stack logs>/screenshots`; the logs and screenshots are kept with AVATAR_ADAM_TEST_KEEP_LOGS=1,
 * or copied to a folder of their own when a test failed.
 */
export function useBrowserSuite(): TBrowserSuite {
  const fileStartedAt = Date.now();
  let stack: TestStack | undefined;
  let web: TestWebApp | undefined;
  // Kept as promises so that afterAll can stop whatever is still starting when beforeAll gives up.
  let stackStarting: Promise<TestStack> | undefined;
  let webStarting: Promise<TestWebApp> | undefined;
  let browserStarting: Promise<Browser> | undefined;
  let browser: Browser | undefined;
  let workDir: string | undefined;
  let failed = false;
  /** Tests whose process log tails were printed already (once per test, however many pages it has). */
  const reported = new Set<string>();

  beforeAll(async () => {
    try {
      workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-browser-'));
      // Ten seconds of silence let the greeting finish; two minutes after it keep Chromium's
      // looping of the file from saying it again within a session.
      const fakeMicWav = writeSpeechWav(path.join(workDir, 'trainee.wav'), TRAINEE_SENTENCE, 10, 120);
      // Chromium starts while the stack comes up; it needs nothing from it.
      browserStarting = launchChromium({ fakeMicWav });
      browserStarting.catch(() => {});
      stack = await (stackStarting = startTestStack());
      // Each run's screenshots replace the last run's, and stay after it as the run's artefacts.
      rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const stackUp = seconds(fileStartedAt);
      const webStartedAt = Date.now();
      // No SIP in this stack: phone practice stays off whatever the developer's shell says.
      web = await (webStarting = startWebApp(stack, { warmRoutes: WARM_ROUTES, env: { PHONE_PIN_SECRET: '', AGENT_HEALTH_URLS: stack.agentHealthUrl } }));
      browser = await browserStarting;
      process.stdout.write(
        `[browser] stack up in ${stackUp}, web app (next dev, routes compiled) in ${seconds(webStartedAt)}; ` +
          `screenshots go to ${SCREENSHOT_DIR}\n`,
      );
    } catch (error) {
      failed = true;
      throw error;
    }
  }, 420_000);

  afterAll(async () => {
    // Every step runs even when an earlier one failed, and each one ends: the startups time out on
    // their own, closing the browser is bounded, and stop() escalates to SIGKILL.
    await withTimeout(browserStarting?.then((b) => b.close()), 60_000).catch(() => {});
    await webStarting?.then((w) => w.stop()).catch(() => {});
    await dispose().catch(() => {});
    if (stack && failed && !process.env.AVATAR_ADAM_TEST_KEEP_LOGS) {
      const kept = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-browser-failed-'));
      cpSync(stack.logDir, kept, { recursive: true });
      process.stderr.write(`[browser] a test failed: logs kept in ${kept}\n`);
    }
    if (stack) process.stdout.write(`[browser] screenshots kept in ${SCREENSHOT_DIR}\n`);
    await stackStarting?.then((st) => st.stop()).catch(() => {});
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    process.stdout.write(`[browser] file took ${seconds(fileStartedAt)}\n`);
  }, 300_000);

  const suite: TBrowserSuite = {
    get stack() {
      return required(stack, 'stack');
    },
    get web() {
      return required(web, 'web app');
    },
    get browser() {
      return required(browser, 'browser');
    },
    openPage: (name, opts) =>
      openPage(suite, name, opts ?? {}, {
        markFailed: () => (failed = true),
        firstReport: (testId) => !reported.has(testId) && Boolean(reported.add(testId)),
      }),
    timer(label) {
      const startedAt = Date.now();
      const phases: string[] = [];
      return {
        phase: (name) => void phases.push(`${name} +${seconds(startedAt)}`),
        done: () =>
          void process.stdout.write(`[browser] ${label} took ${seconds(startedAt)} (${phases.join(', ')}); ${seconds(fileStartedAt)} since the file started\n`),
      };
    },
  };
  return suite;
}

/** Under the repository's git-ignored test-results/, where CI collects artefacts from. */
const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../../test-results/browser-screenshots');

async function openPage(
  suite: TBrowserSuite,
  name: string,
  opts: { audioProbe?: boolean },
  failures: { markFailed: () => void; firstReport: (testId: string) => boolean },
): Promise<TOpenedPage> {
  const { stack, web } = suite;
  const context: BrowserContext = await suite.browser.newContext({ baseURL: web.url, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  if (opts.audioProbe) await page.addInitScript({ content: AUDIO_PROBE });
  const log: string[] = [];
  // The page's console goes next to the other process logs (browser.log).
  const note = (line: string) => {
    log.push(line);
    appendFileSync(path.join(stack.logDir, 'browser.log'), `${new Date().toISOString()} [${name}] ${line}\n`);
  };
  page.on('console', (m) => note(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => note(`[pageerror] ${e.message}`));
  const screenshot = async (shot: string) => {
    const file = path.join(SCREENSHOT_DIR, `${shot}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 15_000 });
    return file;
  };

  // onTestFinished runs before onTestFailed: the failure screenshot is taken here, before closing.
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') {
      failures.markFailed();
      await screenshot(`${name}-failed`).catch(() => {});
    }
    await withTimeout(context.close(), 15_000).catch(() => {});
  });
  onTestFailed(({ task }) => {
    const lines = [`[${name}] page console tail:\n${log.slice(-30).join('\n')}`];
    if (failures.firstReport(task.id)) {
      lines.push(`web log tail:\n${web.process.tail().slice(-20).join('\n')}`, `agent log tail:\n${stack.agent.tail().slice(-30).join('\n')}`);
    }
    process.stderr.write(lines.join('\n') + '\n');
  });
  return { page, log, screenshot };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} did not start (see beforeAll)`);
  return value;
}

function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  if (!promise) return Promise.resolve(undefined);
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
