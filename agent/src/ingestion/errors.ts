/**
 * The file itself cannot be indexed (password-protected, scanned, damaged, empty). The message is
 * shown to the manager as the document's failure reason, so it says what to do, in plain words.
 * Anything else that goes wrong during ingestion is our problem, not the file's.
 */
export class DocumentUnreadable extends Error {
  constructor(reason: string, opts?: { cause?: unknown }) {
    super(reason, opts);
    this.name = 'DocumentUnreadable';
  }
}

export const NO_TEXT_REASON = 'This file has no text to index. Check that it is the right file, with the text in it, and upload it again.';
