// Byte sizes of the shipped widget files: minified, gzip (level 9) and brotli. Deterministic
// for a given build, so the budget is a test (test/budget.test.ts) and `pnpm bench` reports it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DIST, SHIPPED_FILES } from './build.mjs';

// Issue 14's budgets: parley.js, which every page loads, 6 KB; all one page can load 50 KB.
// the 35 KB of before had 9 bytes left for the refused-page state of issue 9.
export const BUDGET = { loaderGzipBytes: 6 * 1024, totalGzipBytes: 50 * 1024 };

export function widgetSizes() {
  const files = SHIPPED_FILES.map((name) => {
    const body = readFileSync(join(DIST, name));
    return {
      name,
      min_bytes: body.length,
      gzip_bytes: gzipSync(body, { level: 9 }).length,
      brotli_bytes: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  // What one page loads at most: the launcher, the panel and the largest of the languages.
  const [loader, panel, ...locales] = files;
  const largest = (key) => Math.max(0, ...locales.map((f) => f[key]));
  return {
    files,
    loader_gzip_bytes: loader.gzip_bytes,
    total_gzip_bytes: loader.gzip_bytes + panel.gzip_bytes + largest('gzip_bytes'),
    total_brotli_bytes: loader.brotli_bytes + panel.brotli_bytes + largest('brotli_bytes'),
    budget: { loader_gzip_bytes: BUDGET.loaderGzipBytes, total_gzip_bytes: BUDGET.totalGzipBytes },
  };
}
