import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EICAR } from '../../src/screening/detectors/malware.js';
import { ARCHIVE_LIMITS, inspectFile } from '../../src/screening/files.js';
import { zip } from './zip.js';

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
