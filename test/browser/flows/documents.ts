import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { expect } from 'vitest';
import { signIn, textMatches, unexpectedPageErrors, visible } from '../support/pages';
import type { TBrowserSuite } from '../support/suite';

const PDF_NAME = 'gap_waiver-basics.pdf';
/** The title the app gives an upload: the file name without extension, `_` and `-` as spaces. */
const PDF_TITLE = 'gap waiver basics';
const PPTX_MIME = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/**
 * The knowledge base from a manager's seat: a PDF made here goes through the file picker, its upload
 * is confirmed, and its row moves on by itself to "Ready" once the agent worker has indexed it;
 * a file of the wrong type and a "PDF" that is not one are refused with a message.
 */
export async function managerUploadsDocuments(suite: TBrowserSuite): Promise<void> {
  const { page, log, screenshot } = await suite.openPage('documents');
  const timer = suite.timer('documents');
  await signIn(page, 'dealership_admin', '/documents', 'Documents');
  timer.phase('signed in');

  const file = path.join(suite.stack.workDir, PDF_NAME);
  writeFileSync(file, await buildPdf());
  const picker = page.getByLabel('Choose files to upload');
  await picker.setInputFiles(file);
  const upload = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: PDF_NAME });
  await visible(upload.getByRole('status').filter({ hasText: 'Uploaded. Indexing starts in a moment.' }));
  timer.phase('uploaded');

  // The row appears at once and its status badge moves on by itself (the list refreshes while
  // anything is queued or indexing); the statuses it showed on the way are kept for the log.
  const row = page.getByTestId('document-row').filter({ has: page.getByText(PDF_TITLE, { exact: true }) });
  const status = row.getByTestId('document-status');
  await visible(row);
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const text = (await status.innerText().catch(() => '')).trim();
        if (text && seen.at(-1) !== text) seen.push(text);
        return text;
      },
      { timeout: 120_000, interval: 250 },
    )
    .toBe('Ready');
  process.stdout.write(`[browser] document status in the page: ${seen.join(' → ')}\n`);
  expect(seen[0]).toMatch(/^(Queued|Indexing…|Ready)$/);
  await textMatches(row, /\b\d+ passages?\b/);
  expect(await row.innerText()).toContain(PDF_NAME);
  timer.phase('ready');
  await screenshot('documents-ready');

  // Refused in the browser before a byte is sent: a slide deck.
  await picker.setInputFiles({ name: 'menu-slides.pptx', mimeType: PPTX_MIME, buffer: Buffer.from('PK\u0003\u0004 not really slides') });
  await visible(page.getByRole('alert').filter({ hasText: '“menu-slides.pptx” is not a supported file.' }));
  // Refused by the server, which reads the content: text named as a PDF.
  await picker.setInputFiles({ name: 'rate-sheet.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Rates: 4.9% for 60 months.\n') });
  await visible(page.getByRole('alert').filter({ hasText: '“rate-sheet.pdf” is not a valid PDF file' }));
  expect(await page.getByTestId('document-row').filter({ hasText: 'rate sheet' }).count()).toBe(0);
  expect(await page.getByTestId('document-row').filter({ hasText: 'menu slides' }).count()).toBe(0);
  timer.phase('refusals shown');
  await screenshot('documents-refused');
  expect(unexpectedPageErrors(log)).toEqual([]);
  timer.done();
}

async function buildPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  const lines = [
    'GAP waiver basics',
    'A GAP waiver covers the difference between what the customer owes on the loan',
    'and what the insurer pays if the car is totalled or stolen.',
    'It is optional: the lender never requires it to approve the loan.',
  ];
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 18, size: 12, font }));
  return doc.save();
}
