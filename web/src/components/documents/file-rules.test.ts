import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_EXTENSIONS, checkFileBeforeUpload, formatBytes, MAX_UPLOAD_BYTES } from './file-rules';

describe('checkFileBeforeUpload', () => {
  it('mirrors what the server accepts', () => {
    expect(MAX_UPLOAD_BYTES).toBe(MAX_DOCUMENT_BYTES);
    expect([...ACCEPTED_EXTENSIONS].sort()).toEqual(Object.values(DOCUMENT_TYPES).flatMap((t) => [...t.extensions]).sort());
  });

  it('accepts supported files and explains the rest before anything is sent', () => {
    expect(checkFileBeforeUpload({ name: 'F&I Menu.PDF', size: 2_000_000 })).toBeNull();
    expect(checkFileBeforeUpload({ name: 'deck.pptx', size: 10 })).toMatch(/“deck.pptx” is not a supported file/);
    expect(checkFileBeforeUpload({ name: 'blank.txt', size: 0 })).toMatch(/is empty/);
    expect(checkFileBeforeUpload({ name: 'scan.pdf', size: 31 * 1024 * 1024 })).toBe(
      '“scan.pdf” is 31 MB, larger than 20 MB. Split it into smaller files, or save it without embedded images.',
    );
  });

  it('formats sizes the way people read them', () => {
    expect([formatBytes(512), formatBytes(48_000), formatBytes(1_572_864), formatBytes(20 * 1024 * 1024)]).toEqual(['512 B', '47 KB', '1.5 MB', '20 MB']);
  });
});
