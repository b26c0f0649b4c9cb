import { DOCUMENT_TYPES } from '@avatar-adam/db';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DocumentUnreadable } from './errors';
import { chunkExtracted, extractDocument, type TPassage } from './extract';
import { buildDocx, buildEncryptedPdf, buildPdf, buildScannedPdf } from './sample-files';

const MIME = { pdf: DOCUMENT_TYPES.pdf.mime, docx: DOCUMENT_TYPES.docx.mime, md: DOCUMENT_TYPES.markdown.mime, txt: DOCUMENT_TYPES.text.mime };
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

async function passagesOf(bytes: Uint8Array, mime: string): Promise<TPassage[]> {
  return chunkExtracted(await extractDocument({ bytes, mime }));
}

async function reasonFor(bytes: Uint8Array, mime: string): Promise<string> {
  const error = await passagesOf(bytes, mime).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentUnreadable);
  return (error as Error).message;
}

describe('PDF', () => {
  it('keeps each page’s text with its page number', async () => {
    const pdf = await buildPdf([
      'Menu presentation: show every product on one page.',
      '',
      'GAP covers the difference between the loan balance and the insurance payout.',
    ]);
    const passages = await passagesOf(pdf, MIME.pdf);
    expect(passages.map((p) => [p.page, p.text])).toEqual([
      [1, 'Menu presentation: show every product on one page.'],
      [3, 'GAP covers the difference between the loan balance and the insurance payout.'],
    ]);
  });

  it('splits a long page into several passages, all on that page', async () => {
    const sentence = 'A vehicle service contract pays for covered repairs after the factory warranty ends. ';
    const passages = await passagesOf(await buildPdf(['Intro page.', sentence.repeat(30)]), MIME.pdf);
    expect(passages.length).toBeGreaterThan(2);
    expect(passages.slice(1).every((p) => p.page === 2 && p.text.length <= 1200)).toBe(true);
  });

  it('explains a password-protected PDF', async () => {
    expect(await reasonFor(await buildEncryptedPdf(), MIME.pdf)).toMatch(/^This PDF is password-protected/);
  });

  it('explains a scanned PDF (no text on any page)', async () => {
    expect(await reasonFor(await buildScannedPdf(3), MIME.pdf)).toMatch(/no text to index \(3 pages.*scanned.*OCR/);
  });

  it('explains a damaged PDF', async () => {
    const whole = await buildPdf(['Some text that will be cut off.']);
    expect(await reasonFor(whole.slice(0, 300), MIME.pdf)).toMatch(/could not be read: the file is damaged or incomplete/);
    expect(await reasonFor(utf8('%PDF-1.7\nnot really a pdf'), MIME.pdf)).toMatch(/damaged/);
  });
});

describe('Word (.docx)', () => {
  it('keeps headings, so passages know their section', async () => {
    const docx = await buildDocx([
      { heading: 'Vehicle service contracts' },
      { paragraph: 'A VSC covers repairs after the factory warranty & beyond.' },
      { heading: 'Tire and wheel', level: 2 },
      { paragraph: 'Covers road hazard damage to tires and wheels.' },
    ]);
    expect((await passagesOf(docx, MIME.docx)).map((p) => [p.heading, p.text, p.page])).toEqual([
      ['Vehicle service contracts', 'A VSC covers repairs after the factory warranty & beyond.', null],
      ['Tire and wheel', 'Covers road hazard damage to tires and wheels.', null],
    ]);
  });

  it('explains an empty document and a damaged one', async () => {
    expect(await reasonFor(await buildDocx([{ paragraph: '   ' }]), MIME.docx)).toMatch(/no text to index/);
    const notWord = new JSZip().file('word/document.xml', '<not-xml').generateAsync({ type: 'uint8array' });
    expect(await reasonFor(await notWord, MIME.docx)).toMatch(/This Word file could not be read/);
    expect(await reasonFor(utf8('PK not a zip at all'), MIME.docx)).toMatch(/This Word file could not be read/);
  });
});

describe('text and Markdown', () => {
  it('Markdown sections become passages under their headings; plain text has none', async () => {
    const md = await passagesOf(utf8('\uFEFF# Compliance\n\nAlways quote APR and term.\n\n## Adverse action\n\nExplain the notice.'), MIME.md);
    expect(md.map((p) => [p.heading, p.text])).toEqual([
      ['Compliance', 'Always quote APR and term.'],
      ['Adverse action', 'Explain the notice.'],
    ]);
    const txt = await passagesOf(utf8('# not a heading in a .txt\n\nSecond paragraph.'), MIME.txt);
    expect(txt).toEqual([{ ordinal: 0, heading: null, page: null, text: '# not a heading in a .txt\n\nSecond paragraph.' }]);
  });

  it('explains a file with nothing but whitespace, or bytes that are not UTF-8', async () => {
    expect(await reasonFor(utf8(' \n\n\t \n'), MIME.txt)).toMatch(/no text to index/);
    expect(await reasonFor(utf8('# Only a heading\n'), MIME.md)).toMatch(/no text to index/);
    expect(await reasonFor(new Uint8Array([0x43, 0x61, 0x66, 0xe9]), MIME.txt)).toMatch(/not UTF-8/);
  });
});
