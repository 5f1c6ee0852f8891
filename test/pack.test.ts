import { describe, expect, it } from 'vitest';
import { packAndCheck } from '../scripts/pack-check.mjs';

// The packages as a new user gets them: packed as for publishing, installed from the tarballs
// into an empty project, used as the README says (scripts/pack-check.mjs does each step and
// throws with the failing command's output). The first install here compiles better-sqlite3
// (about 75 s on a fresh machine); pnpm's store keeps the build for the next run.
describe('the packed packages, installed into an empty project', () => {
  it('lint clean, type-check for Node and the browser, import, and chat through a packed server', async () => {
    const result = await packAndCheck();
    expect(result.lint).toEqual({
      sdk: { publint: 'All good!', attw: 'No problems (esm-only profile)' },
      server: { publint: 'All good!', attw: 'No problems (esm-only profile)' },
    });
    expect(result.loads).toEqual({ esm: 'function', require: 'number' });
    expect(result.roundTrip).toMatchObject({
      reply: 'Hello from the packed server: Hi from a packed install',
      widget: 200,
      widgetType: expect.stringContaining('javascript'),
      console: 200,
    });
    expect(result.roundTrip.conversationId).toMatch(/^cnv_/);
  }, 300_000);
});
