import { describe, expect, it } from 'vitest';
import { parseCitationsAttribute } from './citations-attribute';

describe('parseCitationsAttribute', () => {
  it('reads the sources the agent publishes, heading optional', () => {
    const value = JSON.stringify([
      { documentId: 'd1', chunkId: 'c1', title: 'Lakeside policies', heading: 'GAP' },
      { documentId: 'd2', chunkId: 'c2', title: 'Products' },
    ]);
    expect(parseCitationsAttribute(value)).toEqual([
      { documentId: 'd1', chunkId: 'c1', title: 'Lakeside policies', heading: 'GAP' },
      { documentId: 'd2', chunkId: 'c2', title: 'Products' },
    ]);
  });

  it('shows no sources for a missing, cleared or malformed attribute', () => {
    expect(parseCitationsAttribute(undefined)).toEqual([]);
    expect(parseCitationsAttribute('')).toEqual([]);
    expect(parseCitationsAttribute('[]')).toEqual([]);
    expect(parseCitationsAttribute('{not json')).toEqual([]);
    expect(parseCitationsAttribute(JSON.stringify([{ title: 'no ids' }]))).toEqual([]);
    expect(parseCitationsAttribute(JSON.stringify({ chunkId: 'c1' }))).toEqual([]);
  });
});
