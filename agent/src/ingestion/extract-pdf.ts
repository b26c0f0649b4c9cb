import { extractText, getDocumentProxy } from 'unpdf';
import { DocumentUnreadable } from './errors';

/** Fewer letters than this in the whole PDF: the pages are pictures (a scan), not text. */
const MIN_LETTERS = 20;

/**
 * The text of each page of a PDF, in page order (index 0 is page 1), through PDF.js (unpdf's
 * bundle; no worker thread, no canvas). Password-protected, damaged and scanned PDFs become
 * DocumentUnreadable with the reason a manager can act on.
 */
export async function extractPdfPages(bytes: Uint8Array): Promise<string[]> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js transfers (detaches) the buffer it is given: it gets a copy, the caller keeps its bytes.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (error) {
    if (errorName(error) === 'PasswordException') {
      throw new DocumentUnreadable(
        'This PDF is password-protected, so its text cannot be read. Save a copy without the password (or print it to a new PDF) and upload that.',
        { cause: error },
      );
    }
    throw new DocumentUnreadable('This PDF could not be read: the file is damaged or incomplete. Export it again from the original and upload the new file.', {
      cause: error,
    });
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    const letters = text.reduce((n, page) => n + (page.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
    if (letters < MIN_LETTERS) {
      throw new DocumentUnreadable(
        `This PDF has no text to index (${pdf.numPages} ${pdf.numPages === 1 ? 'page' : 'pages'}, no readable words): it looks like scanned images. Run it through text recognition (OCR) or upload the original document.`,
      );
    }
    return text;
  } catch (error) {
    if (error instanceof DocumentUnreadable) throw error;
    throw new DocumentUnreadable('The text of this PDF could not be read: the file is damaged. Export it again from the original and upload the new file.', {
      cause: error,
    });
  } finally {
    await pdf.destroy();
  }
}

function errorName(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'name' in error ? String(error.name) : undefined;
}
