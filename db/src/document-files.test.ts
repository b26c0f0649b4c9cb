import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { inspectDocumentFile, MAX_DOCUMENT_BYTES, zipEntryNames } from './document-files';

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const zipOf = async (files: Record<string, string>) => {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return new Uint8Array(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
};
const refusal = (filename: string, bytes: Uint8Array) => {
  try {
    inspectDocumentFile({ filename, bytes });
  } catch (error) {
    return error as { code: string; userMessage: string };
  }
  throw new Error(`${filename} was accepted`);
};

describe('inspectDocumentFile', () => {
  it('accepts each supported type by extension and content', async () => {
    expect(inspectDocumentFile({ filename: 'Menu.PDF', bytes: text('%PDF-1.7\n…') }).kind).toBe('pdf');
    expect(inspectDocumentFile({ filename: 'notes.txt', bytes: text('Menu first, then products. Café ✓') }).mime).toBe('text/plain');
    expect(inspectDocumentFile({ filename: 'guide.md', bytes: text('# GAP\n\nCovers the gap.') }).mime).toBe('text/markdown');
    const docx = await zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    expect(inspectDocumentFile({ filename: 'policy.docx', bytes: docx }).kind).toBe('docx');
  });

  it('refuses empty, oversized and unsupported files with a message naming the file', () => {
    expect(refusal('empty.pdf', new Uint8Array())).toMatchObject({ code: 'BAD_REQUEST', userMessage: expect.stringContaining('“empty.pdf” is empty') });
    expect(refusal('huge.txt', new Uint8Array(MAX_DOCUMENT_BYTES + 1)).userMessage).toMatch(/larger than 20 MB/);
    expect(refusal('slides.pptx', text('x')).userMessage).toMatch(/not a supported file.*PDF, Word/);
    expect(refusal('no-extension', text('x')).userMessage).toMatch(/not a supported file/);
  });

  it('refuses a file whose content does not match its name', async () => {
    expect(refusal('renamed.pdf', await zipOf({ 'word/document.xml': '<w:document/>' })).userMessage).toMatch(/not a valid PDF/);
    expect(refusal('archive.docx', await zipOf({ 'readme.txt': 'hello' })).userMessage).toMatch(/not a valid Word/);
    expect(refusal('fake.docx', text('%PDF-1.4')).userMessage).toMatch(/not a valid Word/);
    expect(refusal('binary.txt', new Uint8Array([0x68, 0x69, 0x00, 0x01, 0x02])).userMessage).toMatch(/not plain text in UTF-8/);
    expect(refusal('latin1.md', new Uint8Array([0x43, 0x61, 0x66, 0xe9])).userMessage).toMatch(/UTF-8/);
  });

  it('explains that an OLE-format .docx is password-protected or an old Word file', () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect(refusal('locked.docx', ole).userMessage).toMatch(/password-protected or an old-style Word file/);
  });
});

describe('zipEntryNames', () => {
  it('lists the central directory, and gives null for anything that is not a whole ZIP', async () => {
    const zip = Buffer.from(await zipOf({ 'a.txt': 'a', 'word/document.xml': '<x/>' }));
    expect(zipEntryNames(zip)).toEqual(expect.arrayContaining(['a.txt', 'word/document.xml']));
    expect(zipEntryNames(zip.subarray(0, zip.length - 30))).toBeNull();
    expect(zipEntryNames(Buffer.from('PK'))).toBeNull();
  });
});
