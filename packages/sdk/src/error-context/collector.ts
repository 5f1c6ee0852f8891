import type { Breadcrumb, CapturedError, EnvironmentInfo, ErrorContext, ScrubKind } from '../protocol/index.js';
import { clip, scrubText, scrubUrl, storable } from './scrub.js';
import type { ErrorCollector } from './types.js';

export type { ErrorCollector } from './types.js';

/** The bounds of what the collector keeps (documented in docs/PROTOCOL.md). */
export const CONTEXT_LIMITS = {
  breadcrumbsDefault: 50,
  breadcrumbsMax: 100,
  messageChars: 1024,
  stackFrames: 50,
  distinctErrors: 10,
  /** The context is trimmed (oldest breadcrumbs first) to fit this… */
  targetBytes: 64 * 1024,
  /** …and never exceeds this. */
  hardCapBytes: 256 * 1024,
} as const;

export interface CollectorOptions {
  maxBreadcrumbs?: number;
  appVersion?: string;
  userId?: string;
  /** The clock; tests inject one. */
  now?: () => Date;
}

/** The recording half of a collector: what it kept so far, scrubbed and bounded. */
export interface ErrorRecorder {
  readonly errors: ReadonlyMap<string, CapturedError>;
  readonly breadcrumbs: readonly Breadcrumb[];
  readonly scrubbed: ReadonlySet<ScrubKind>;
  dropped(): number;
  cleanUrl(url: string): string;
  readonly win: Window & typeof globalThis;
  readonly options: CollectorOptions;
  /** Restores every global it wrapped and stops listening. */
  stop(): void;
}

type AnyFn = (...args: never[]) => unknown;

/**
 * Starts keeping, in memory, a bounded record of what goes wrong in the page: uncaught errors
 * and rejections, console errors and warnings, failed requests, route changes and clicks (as
 * selectors only). Nothing is sent anywhere. The page's own globals keep their behaviour: the
 * wrappers call the originals with the same arguments and return what they return.
 *
 * @example
 * const collector = startErrorCollector(window, { appVersion: '4.2.0' });
 * const context = collector.snapshot(); // attach to an incident
 */
export function startErrorCollector(win: Window & typeof globalThis, options: CollectorOptions = {}): ErrorCollector {
  const recorder = startErrorRecorder(win, options);
  return { snapshot: () => snapshotOf(recorder), stop: recorder.stop };
}

/** Starts recording only (see startErrorCollector); `snapshotOf(recorder)` reads it. */
export function startErrorRecorder(win: Window & typeof globalThis, options: CollectorOptions = {}): ErrorRecorder {
  const now = options.now ?? (() => new Date());
  const maxBreadcrumbs = Math.min(
    CONTEXT_LIMITS.breadcrumbsMax,
    Math.max(1, options.maxBreadcrumbs ?? CONTEXT_LIMITS.breadcrumbsDefault),
  );
  const errors = new Map<string, CapturedError>();
  const breadcrumbs: Breadcrumb[] = [];
  const scrubbed = new Set<ScrubKind>();
  let dropped = 0;
  const restore: (() => void)[] = [];

  const clean = (text: string, limit: number = CONTEXT_LIMITS.messageChars) => {
    const s = scrubText(text.length > limit * 2 ? text.slice(0, limit * 2) : text);
    for (const kind of s.removed) scrubbed.add(kind);
    return clip(s.text, limit);
  };
  const cleanUrl = (url: string) => {
    const s = scrubUrl(url);
    for (const kind of s.removed) scrubbed.add(kind);
    return clean(s.text);
  };
  const crumb = (b: Breadcrumb) => {
    breadcrumbs.push(b);
    if (breadcrumbs.length > maxBreadcrumbs) {
      breadcrumbs.shift();
      dropped++;
    }
  };

  // Agents read where a request went: "/api/cart" becomes "https://shop.example/api/cart".
  const absolute = (url: string) => {
    try {
      return new URL(url, win.location.href).href;
    } catch {
      return url;
    }
  };
  const failedRequest = (method: string, url: string, status: number | null, started: number) =>
    crumb({
      type: 'request',
      method,
      url: cleanUrl(url),
      status,
      durationMs: now().getTime() - started,
      at: now().toISOString(),
    });

  const recordError = (
    kind: CapturedError['kind'],
    reason: unknown,
    source?: string,
    line?: number,
    column?: number,
  ) => {
    const err = reason instanceof Error ? reason : undefined;
    const message = clean(err ? `${err.name}: ${err.message}` : String(reason));
    const stack = (err?.stack ?? '')
      .split('\n')
      .slice(1)
      .map((f) => f.trim())
      .filter(Boolean)
      .slice(0, CONTEXT_LIMITS.stackFrames)
      .map((f) => clean(f, 300));
    const key = `${kind}|${message}|${stack[0] ?? ''}`;
    const at = now().toISOString();
    const known = errors.get(key);
    if (known) {
      known.count++;
      known.lastAt = at;
      return;
    }
    if (errors.size >= CONTEXT_LIMITS.distinctErrors) {
      // Keep the first ten distinct errors: the first failure usually explains the rest.
      return;
    }
    errors.set(key, {
      kind,
      message,
      stack,
      source: source ? cleanUrl(source) : null,
      line: line ?? null,
      column: column ?? null,
      count: 1,
      firstAt: at,
      lastAt: at,
    });
  };

  const listen = <K extends keyof WindowEventMap>(
    type: K,
    handler: (e: WindowEventMap[K]) => void,
    capture = false,
  ) => {
    win.addEventListener(type, handler, capture);
    restore.push(() => win.removeEventListener(type, handler, capture));
  };
  const wrap = <T extends object, K extends keyof T>(target: T, name: K, make: (original: T[K]) => T[K]) => {
    const original = target[name];
    if (typeof original !== 'function') return;
    target[name] = make(original);
    restore.push(() => {
      target[name] = original;
    });
  };

  listen('error', (e) => recordError('error', e.error ?? e.message, e.filename, e.lineno, e.colno));
  listen('unhandledrejection', (e) => recordError('unhandledrejection', e.reason));

  for (const level of ['error', 'warn'] as const) {
    wrap(
      win.console,
      level,
      (original) =>
        function (this: Console, ...args: unknown[]) {
          try {
            crumb({ type: 'console', level, message: clean(args.map(describe).join(' ')), at: now().toISOString() });
          } catch {
            // Recording must never break the page's own logging.
          }
          return (original as AnyFn).apply(this, args as never[]);
        } as Console['error'],
    );
  }

  wrap(
    win,
    'fetch',
    (original) =>
      function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
        const started = now().getTime();
        const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        const url = input instanceof Request ? input.url : absolute(String(input));
        const result = (original as typeof fetch).call(this, input, init);
        result.then(
          (response) => {
            if (!response.ok) {
              failedRequest(method, url, response.status, started);
            }
          },
          () => failedRequest(method, url, null, started),
        );
        return result;
      } as typeof fetch,
  );

  const xhr = win.XMLHttpRequest?.prototype;
  if (xhr) {
    const meta = new WeakMap<XMLHttpRequest, { method: string; url: string; started: number }>();
    wrap(
      xhr,
      'open',
      (original) =>
        function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
          meta.set(this, { method: String(method).toUpperCase(), url: absolute(String(url)), started: 0 });
          return (original as AnyFn).apply(this, [method, url, ...rest] as never[]);
        } as XMLHttpRequest['open'],
    );
    wrap(
      xhr,
      'send',
      (original) =>
        function (this: XMLHttpRequest, ...args: unknown[]) {
          const m = meta.get(this);
          if (m) {
            m.started = now().getTime();
            this.addEventListener('loadend', () => {
              if (this.status === 0 || this.status >= 400) {
                failedRequest(m.method, m.url, this.status || null, m.started);
              }
            });
          }
          return (original as AnyFn).apply(this, args as never[]);
        } as XMLHttpRequest['send'],
    );
  }

  let lastUrl = cleanUrl(win.location.href);
  const navigated = () => {
    const to = cleanUrl(win.location.href);
    if (to !== lastUrl) crumb({ type: 'navigation', from: lastUrl, to, at: now().toISOString() });
    lastUrl = to;
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    wrap(
      win.history,
      method,
      (original) =>
        function (this: History, ...args: unknown[]) {
          const result = (original as AnyFn).apply(this, args as never[]);
          navigated();
          return result;
        } as History['pushState'],
    );
  }
  listen('popstate', navigated);
  // Clicks in the page, not in the messenger itself (its shadow root shows as its host element).
  listen(
    'click',
    (e) => {
      if (!e.composedPath().some((n) => (n as Element).localName === 'parley-messenger'))
        crumb({ type: 'click', selector: selectorOf(e.target), at: now().toISOString() });
    },
    true,
  );

  return {
    errors,
    breadcrumbs,
    scrubbed,
    dropped: () => dropped,
    cleanUrl,
    win,
    options,
    stop() {
      for (const undo of restore.splice(0).reverse()) undo();
    },
  };
}

/**
 * What would be attached now: a copy, scrubbed and within the limits (oldest breadcrumbs go
 * first until it fits; the hard cap is never passed). Kept apart from the recorder so that the
 * widget's launcher script carries only the recording part.
 */
export function snapshotOf(recorder: ErrorRecorder): ErrorContext & { environment: EnvironmentInfo } {
  const context: ErrorContext & { environment: EnvironmentInfo } = {
    errors: [...recorder.errors.values()].map((e) => ({ ...e, stack: [...e.stack] })),
    breadcrumbs: [...recorder.breadcrumbs],
    environment: environmentOf(recorder),
    scrubbed: [],
    droppedBreadcrumbs: recorder.dropped(),
  };
  while (context.breadcrumbs.length > 0 && byteLength(context) > CONTEXT_LIMITS.targetBytes) {
    context.breadcrumbs.shift();
    context.droppedBreadcrumbs++;
  }
  while (context.errors.length > 0 && byteLength(context) > CONTEXT_LIMITS.hardCapBytes) context.errors.pop();
  context.scrubbed = [...recorder.scrubbed];
  return context;
}

function environmentOf({ win, options, cleanUrl }: ErrorRecorder): EnvironmentInfo {
  const nav = win.navigator as Navigator & {
    userAgentData?: { brands?: { brand: string }[]; mobile?: boolean; platform?: string };
  };
  return {
    userAgent: nav.userAgent,
    clientHints: nav.userAgentData
      ? {
          brands: nav.userAgentData.brands?.map((b) => b.brand),
          mobile: nav.userAgentData.mobile,
          platform: nav.userAgentData.platform,
        }
      : null,
    language: nav.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    viewport: { width: win.innerWidth, height: win.innerHeight },
    screen: { width: win.screen?.width ?? 0, height: win.screen?.height ?? 0, pixelRatio: win.devicePixelRatio ?? 1 },
    url: cleanUrl(win.location.href),
    referrer: win.document.referrer ? cleanUrl(win.document.referrer) : '',
    online: nav.onLine,
    appVersion: options.appVersion ?? null,
    userId: options.userId ?? null,
  };
}

function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A CSS-like path of tag, id and classes: never text content or input values. */
function selectorOf(target: EventTarget | null): string {
  const parts: string[] = [];
  let el = target as Element | null;
  for (let depth = 0; el && el.nodeType === 1 && depth < 5; depth++) {
    let part = el.tagName.toLowerCase();
    if (el.id) part += `#${el.id}`;
    const classes =
      typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 3) : [];
    if (classes.length) part += `.${classes.join('.')}`;
    parts.unshift(part);
    if (el.id) break;
    el = el.parentElement;
  }
  return storable(parts.join(' > ').slice(0, 300));
}

/**
 * True when the browser asks not to be tracked (Global Privacy Control or Do Not Track): the
 * report form then starts with attaching the context switched off.
 */
export function prefersNoTracking(nav: Navigator): boolean {
  const n = nav as Navigator & { globalPrivacyControl?: boolean };
  return n.globalPrivacyControl === true || n.doNotTrack === '1';
}
