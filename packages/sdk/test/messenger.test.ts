// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true}}
import { afterEach, describe, expect, it } from 'vitest';
import { loadMessenger } from '../src/browser.js';

describe('loadMessenger', () => {
  afterEach(() => {
    delete (window as unknown as { Parley?: unknown }).Parley;
    document.head.replaceChildren();
  });

  it('injects the widget script once and queues calls in order until it arrives', () => {
    const messenger = loadMessenger({ url: 'https://chat.example.com/', appId: 'app_1', locale: 'es' });
    const off = messenger.on('unreadCountChange', () => undefined);
    messenger.show();
    off();
    loadMessenger({ url: 'https://chat.example.com', appId: 'app_1' });

    const scripts = document.head.querySelectorAll('script');
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.getAttribute('src')).toBe('https://chat.example.com/widget/parley.js');
    expect(scripts[0]?.async).toBe(true);
    const queue = (window as unknown as { Parley: { q: unknown[][] } }).Parley.q;
    expect(queue.map((args) => args[0])).toEqual(['boot', 'on', 'show', 'off', 'boot']);
    expect(queue[0]?.[1]).toEqual({ appId: 'app_1', locale: 'es' });
  });

  it('says what is missing instead of failing later', () => {
    expect(() => loadMessenger({ url: '', appId: 'app_1' })).toThrow(/needs the server url and your app id/);
  });
});
