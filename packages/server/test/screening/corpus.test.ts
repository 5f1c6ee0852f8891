import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/screening/policy.js';
import { compilePolicy, screenText, summary } from '../../src/screening/screener.js';

export interface CorpusCase {
  id: string;
  text: string;
  name?: string;
  categories: string[];
  action?: string;
}

export const CORPUS_FILE = join(import.meta.dirname, '../fixtures/screening/corpus.jsonl');

export function loadCorpus(): CorpusCase[] {
  return readFileSync(CORPUS_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusCase);
}

describe('the labelled screening corpus', () => {
  const policy = compilePolicy(DEFAULT_POLICY);
  const context = { role: 'visitor' as const, appDomains: ['shop.example.com'], appName: 'Acme' };

  it.each(loadCorpus().map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const verdict = screenText(c.text, { ...context, ...(c.name ? { senderName: c.name } : {}) }, policy);
    expect([...summary(verdict).categories].sort()).toEqual([...c.categories].sort());
    if (c.action) expect(verdict.action).toBe(c.action);
  });
});
