import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from '../build.mjs';
import { BUDGET, widgetSizes } from '../size.mjs';

// The test setup builds the widget first; these are the minified files the server serves.
describe('the widget size budget', () => {
  const sizes = widgetSizes();

  it(`keeps the script the snippet loads within ${BUDGET.loaderGzipBytes} bytes gzipped`, () => {
    expect(sizes.loader_gzip_bytes).toBeLessThanOrEqual(BUDGET.loaderGzipBytes);
  });

  it(`keeps everything the widget ever loads within ${BUDGET.totalGzipBytes} bytes gzipped`, () => {
    expect(sizes.total_gzip_bytes).toBeLessThanOrEqual(BUDGET.totalGzipBytes);
  });

  it('ships minified files with no development code left in them', () => {
    expect(sizes.files.map((f) => f.name)).toEqual([
      'parley.js',
      'panel.js',
      'locale-en.js',
      'locale-es.js',
      'locale-fr.js',
      'locale-de.js',
      'locale-pt.js',
    ]);
    for (const file of sizes.files) {
      const body = readFileSync(join(DIST, file.name), 'utf8');
      expect(body, file.name).not.toContain('process.env');
      expect(body, file.name).not.toContain('sourceMappingURL=data:');
    }
  });
});
