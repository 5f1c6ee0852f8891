import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EICAR } from '../../src/screening/detectors/malware.js';
import { ARCHIVE_LIMITS, inspectFile } from '../../src/screening/files.js';

/** A minimal ZIP (deflated entries), as archivers write it. */
function zip(entries: [string, Buffer][], options: { encrypted?: boolean; claimSize?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = deflateRawSync(content);
    const nameBytes = Buffer.from(name);
    const header = (signature: number, size: number) => {
      const h = Buffer.alloc(size);
      h.writeUInt32LE(signature, 0);
      return h;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(options.encrypted ? 1 : 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(options.claimSize ?? content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = header(0x02014b50, 46);
    central.writeUInt16LE(options.encrypted ? 1 : 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(options.claimSize ?? content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const ids = (data: Buffer, name = 'file') => inspectFile(data, name).map((f) => f.detector);
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(64)]);

describe('files, by their content', () => {
  it('finds programs whatever their name, scripts by shebang or extension, and EICAR', () => {
    expect(ids(exe, 'invoice.pdf')).toEqual(['executable']);
    expect(ids(elf, 'photo.png')).toEqual(['executable']);
    expect(ids(Buffer.from('#!/usr/bin/env python\nprint(1)\n'), 'notes.txt')).toEqual(['script_file']);
    expect(ids(Buffer.from('Write-Host hi'), 'setup.ps1')).toEqual(['script_file']);
    expect(ids(Buffer.from(EICAR), 'readme.txt')).toEqual(['eicar']);
    expect(ids(Buffer.from('2026-11-22 10:00 ERROR export failed\n'), 'app.log')).toEqual([]);
  });

  it('opens archives to a bounded depth and refuses what it cannot inspect', () => {
    expect(ids(zip([['a.txt', Buffer.from('hello')]]))).toEqual([]);
    expect(ids(zip([['bin/tool', elf]]))).toEqual(['executable']);
    expect(ids(zip([['x/report.docm/word/vbaProject.bin', Buffer.from('VBA')]]))).toEqual(['macro_document']);
    expect(ids(zip([['inner.zip', zip([['virus.com', Buffer.from(EICAR)]])]]))).toEqual(['eicar', 'executable']);
    const deep = zip([['1.zip', zip([['2.zip', zip([['3.txt', Buffer.from('deep')]])]])]]);
    expect(ids(deep)).toEqual(['archive_unsafe']);
    expect(ids(zip([['secret.txt', Buffer.from('x')]], { encrypted: true }))).toEqual(['archive_unsafe']);
    // A bomb: the declared size is far beyond the allowed expansion.
    expect(ids(zip([['big.txt', Buffer.alloc(1000)]], { claimSize: ARCHIVE_LIMITS.maxTotalBytes + 1 }))).toEqual([
      'archive_unsafe',
    ]);
    // A corrupt archive is not waved through.
    expect(ids(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]))).toEqual(['archive_unsafe']);
  });

  it('looks at the head of a long entry without inflating all of it', () => {
    const log = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `${i} GET /api/cart 200\n`).join(''));
    expect(ids(zip([['huge.log', log]]))).toEqual([]);
    const hidden = Buffer.concat([exe, randomBytes(3 * 1024 * 1024)]);
    expect(ids(zip([['data.bin', hidden]]))).toEqual(['executable']);
  });
});
