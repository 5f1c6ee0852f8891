import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// node-redis subclasses String (RESP's VerbatimString). On V8 12 (Node 20), that alone makes
// every string method (charCodeAt, the screening tokeniser's mainstay) several times slower in
// the whole process. The server therefore loads `redis` only when Redis is configured: no
// source may import it statically.
describe('the redis client', () => {
  it('is imported only on demand (a dynamic import), never at module load', () => {
    const src = join(import.meta.dirname, '../src');
    const offenders: string[] = [];
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      const code = readFileSync(file, 'utf8');
      if (/^import\s+(?!type\b)[^;]*from\s+['"]redis['"]/m.test(code)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
    expect(readFileSync(join(src, 'platform/redis.ts'), 'utf8')).toContain("await import('redis')");
  });
});
