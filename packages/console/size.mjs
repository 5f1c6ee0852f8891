// Byte sizes of what the console's page loads: minified and gzip (level 9). Deterministic for a
// given build, so the budget is a test (test/budget.test.ts) and `pnpm bench` reports it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, SHIPPED_FILES } from './build.mjs';

/** Issue 11: the whole console under 80 KB gzipped. */
export const BUDGET = { totalGzipBytes: 80 * 1024 };

export function consoleSizes() {
  const files = SHIPPED_FILES.map((name) => {
    const body = readFileSync(join(DIST, name));
    return { name, min_bytes: body.length, gzip_bytes: gzipSync(body, { level: 9 }).length };
  });
  return {
    files,
    total_gzip_bytes: files.reduce((sum, f) => sum + f.gzip_bytes, 0),
    budget: { total_gzip_bytes: BUDGET.totalGzipBytes },
  };
}
