import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import { eventually } from './events.js';

/** Polling assertions on what the page shows (the UI settles asynchronously). */
export const ui = {
  texts: (locator: Locator, expected: string[]) =>
    eventually(async () => expect((await locator.allTextContents()).map((t) => t.trim())).toEqual(expected)),
  contains: (locator: Locator, expected: string) =>
    eventually(async () => expect(await locator.textContent()).toContain(expected)),
  count: (locator: Locator, expected: number) => eventually(async () => expect(await locator.count()).toBe(expected)),
  value: (locator: Locator, expected: string) =>
    eventually(async () => expect(await locator.inputValue()).toBe(expected)),
  hidden: (locator: Locator) => locator.waitFor({ state: 'hidden' }),
  focused: (locator: Locator) =>
    eventually(async () =>
      expect(await locator.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el)).toBe(
        true,
      ),
    ),
};
