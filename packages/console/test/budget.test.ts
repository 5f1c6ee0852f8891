import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from '../build.mjs';
import { BUDGET, consoleSizes } from '../size.mjs';

// The test setup builds the console first; these are the files the server serves at /console.
describe('the console size budget', () => {
  const sizes = consoleSizes();

  it(`keeps everything the console loads within ${BUDGET.totalGzipBytes} bytes gzipped`, () => {
    expect(sizes.total_gzip_bytes).toBeLessThanOrEqual(BUDGET.totalGzipBytes);
  });

  it('ships a page with no inline script or style, and minified code without development paths', () => {
    const page = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|\sstyle=/);
    const code = readFileSync(join(DIST, 'console.js'), 'utf8');
    expect(code).not.toContain('process.env');
    expect(code).not.toContain('sourceMappingURL=data:');
  });
});
