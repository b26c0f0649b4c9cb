import { describe, it } from 'vitest';
import { managerUploadsDocuments } from './flows/documents';
import { managerObserves } from './flows/manager-observe';
import { traineeSurvivesNetworkBlip } from './flows/network-blip';
import { phonePageWhenDisabled } from './flows/phone';
import { superAdminRunsThePlatform } from './flows/platform-admin';
import { managerBuildsAndAssigns } from './flows/scenario-assignment';
import { traineePractises } from './flows/trainee-practice';
import { useBrowserSuite } from './support/suite';

/**
 * The product in a real browser: Chromium (headless, fake microphone playing a flite WAV) ↔
 * `next dev` ↔ embedded database ↔ livekit-server ↔ agent worker, all started once for the file
 * (support/suite.ts). Each test does what a user does through the pages, asserts what they would
 * notice, and keeps screenshots; the steps live in flows/, one file per user journey.
 */
const suite = useBrowserSuite();

describe('the web app in a browser', () => {
  it(
    'a trainee signs in, starts a role-play, hears the greeting, speaks and is answered, ends, and reads the scorecard and both sides of the transcript',
    () => traineePractises(suite),
    180_000,
  );

  it('a network blip mid-session: the page says it is reconnecting and the same session carries on', () => traineeSurvivesNetworkBlip(suite), 150_000);

  it('a manager listens to a live role-play and reads both sides of its transcript, unseen by the trainee', () => managerObserves(suite), 180_000);

  it('a manager uploads a PDF that becomes ready, and sees a wrong file type and a fake PDF refused', () => managerUploadsDocuments(suite), 180_000);

  it('a manager builds a role-play, assigns it, and the trainee finds it on the practice page', () => managerBuildsAndAssigns(suite), 120_000);

  it('the phone page says phone practice is off and offers no way to save a number', () => phonePageWhenDisabled(suite), 60_000);

  it('a platform admin creates and suspends a dealership and sees the platform healthy', () => superAdminRunsThePlatform(suite), 90_000);
});
