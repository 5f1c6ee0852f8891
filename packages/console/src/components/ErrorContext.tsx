import type { Breadcrumb, CapturedError, ClientInfo, EnvironmentInfo, ErrorContext } from '@parley/sdk/protocol';
import { Icon, type IconName } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

/** "Chrome 126 · macOS 14 · 1440×900 @2x · en-GB · Europe/Madrid · app 4.2.0 · /checkout" */
export function environmentLine(env: EnvironmentInfo, client: ClientInfo): string {
  const browser = [client.browser, client.browserVersion?.split('.')[0]].filter(Boolean).join(' ');
  const os = [client.os, client.osVersion].filter(Boolean).join(' ');
  let page = env.url;
  try {
    page = new URL(env.url).pathname;
  } catch {
    // Not a URL: shown as it came.
  }
  return [
    browser || null,
    os || null,
    `${env.viewport.width}×${env.viewport.height}${env.screen.pixelRatio > 1 ? ` @${env.screen.pixelRatio}x` : ''}`,
    env.language,
    env.timeZone,
    env.appVersion ? `app ${env.appVersion}` : null,
    page,
  ]
    .filter(Boolean)
    .join(' · ');
}

const SCRUBBED: Record<string, string> = {
  url_fragment: 'URL fragments',
  query_param: 'secret query parameters',
  authorization: 'authorization headers',
  jwt: 'tokens',
  email: 'email addresses',
  card_number: 'card numbers',
};

/** A frame of a stack: its function and place, the file name bold; library frames muted. */
function Frame({ frame }: { frame: string }) {
  const match = /^(?:at\s+)?(.*?)\s*\(?((?:https?:\/\/|\/)[^\s)]*?)(:\d+:\d+)?\)?$/.exec(frame.trim());
  const library = /node_modules|\/vendor|chrome-extension:|moz-extension:|<anonymous>/.test(frame);
  if (!match) return <li class={library ? 'library' : ''}>{frame}</li>;
  const [, fn, url = '', pos = ''] = match;
  const file = url.split('/').pop() ?? url;
  const path = url.slice(0, url.length - file.length);
  return (
    <li class={library ? 'library' : ''} title={frame}>
      {fn ? <span class="fn">{fn} </span> : null}
      <span class="path">{path.length > 48 ? `${path.slice(0, 20)}…${path.slice(-24)}` : path}</span>
      <strong>{file}</strong>
      <span class="pos">{pos}</span>
    </li>
  );
}

function ErrorCard({ error }: { error: CapturedError }) {
  const copied = useSignal(false);
  const at = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour12: false });
  return (
    <li class="error-card">
      <p class="error-head">
        <span class="chip danger">{error.kind === 'error' ? 'Error' : 'Unhandled rejection'}</span>
        <span class="muted small">
          ×{error.count} · first {at(error.firstAt)}
          {error.count > 1 ? ` · last ${at(error.lastAt)}` : ''}
          {error.source ? ` · ${error.source.split('/').pop()}:${error.line ?? '?'}:${error.column ?? '?'}` : ''}
        </span>
      </p>
      <pre class="error-message">{error.message}</pre>
      {error.stack.length > 0 ? (
        <div class="stack-wrap">
          <ol class="stack">
            {error.stack.map((f, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: frames of one stored stack
              <Frame key={n} frame={f} />
            ))}
          </ol>
        </div>
      ) : null}
      <button
        type="button"
        class="button small"
        onClick={() => {
          void navigator.clipboard?.writeText(`${error.message}\n${error.stack.join('\n')}`).then(() => {
            copied.value = true;
          });
        }}
      >
        {copied.value ? 'Copied' : 'Copy stack'}
      </button>
    </li>
  );
}

const CRUMB: Record<Breadcrumb['type'], { icon: IconName; word: string }> = {
  console: { icon: 'code', word: 'Console' },
  request: { icon: 'send', word: 'Request' },
  navigation: { icon: 'archive', word: 'Navigation' },
  click: { icon: 'check', word: 'Click' },
};

function summary(b: Breadcrumb): string {
  switch (b.type) {
    case 'console':
      return `${b.level}: ${b.message.split('\n')[0]}`;
    case 'request':
      return `${b.method} ${b.url} → ${b.status ?? 'failed'} · ${(b.durationMs / 1000).toFixed(1)} s`;
    case 'navigation':
      return `${b.from} → ${b.to}`;
    case 'click':
      return b.selector;
  }
}

const problem = (b: Breadcrumb) =>
  (b.type === 'console' && b.level === 'error') || (b.type === 'request' && (b.status === null || b.status >= 400));

function Timeline({ crumbs, reportedAt }: { crumbs: Breadcrumb[]; reportedAt: string }) {
  const onlyProblems = useSignal(false);
  const report = Date.parse(reportedAt);
  const shown = crumbs.filter((b) => !onlyProblems.value || problem(b));
  let previous: number | null = null;
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={onlyProblems.value}
          onChange={(e) => {
            onlyProblems.value = (e.currentTarget as HTMLInputElement).checked;
          }}
        />{' '}
        Only problems
      </label>
      <ol class="timeline">
        {shown.map((b, n) => {
          const t = Date.parse(b.at);
          const gap = previous !== null && t - previous > 30_000 ? t - previous : 0;
          previous = t;
          const look = CRUMB[b.type];
          return [
            gap ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: events of one stored report
              <li key={`g-${n}`} class="gap">
                … {Math.round(gap / 60_000) || '<1'} min later
              </li>
            ) : null,
            // biome-ignore lint/suspicious/noArrayIndexKey: events of one stored report
            <li key={n} class={problem(b) ? 'problem' : ''}>
              <time class="tabular" dateTime={b.at}>
                {new Date(b.at).toLocaleTimeString(undefined, { hour12: false })}
              </time>
              <span class="muted tabular">−{((report - t) / 1000).toFixed(1)} s</span>
              <span class="crumb-kind">
                <Icon name={look.icon} /> {look.word}
              </span>
              <span class="crumb-summary">{summary(b)}</span>
            </li>,
          ];
        })}
      </ol>
    </>
  );
}

/** The browser context of a report, readable: a drawer over the thread (UX.md §1.6). */
export function ErrorContextViewer({
  context,
  client,
  reportedAt,
  onClose,
}: {
  context: ErrorContext;
  client: ClientInfo;
  reportedAt: string;
  onClose: () => void;
}) {
  const tab = useSignal<'errors' | 'timeline' | 'environment'>(context.errors.length > 0 ? 'errors' : 'timeline');
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      opener?.focus();
    };
  }, []);
  const env = context.environment;
  const tabs = [
    ['errors', `Errors (${context.errors.length})`],
    ['timeline', `Timeline (${context.breadcrumbs.length})`],
    ['environment', 'Environment'],
  ] as const;
  return (
    <div class="drawer-backdrop">
      <div class="drawer" role="dialog" aria-modal="true" aria-labelledby="context-title" tabIndex={-1} ref={dialog}>
        <header class="drawer-header">
          <h2 id="context-title">Error context</h2>
          <button type="button" class="button ghost" onClick={onClose} aria-label="Close error context">
            <Icon name="x" />
          </button>
        </header>
        <div class="tabs" role="tablist">
          {tabs.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab.value === id}
              aria-controls={`panel-${id}`}
              onClick={() => {
                tab.value = id;
              }}
            >
              {label}
            </button>
          ))}
        </div>
        {context.scrubbed.length > 0 || context.droppedBreadcrumbs > 0 ? (
          <p class="scrub-note">
            <Icon name="shield" />{' '}
            {context.scrubbed.length > 0
              ? `Removed before it left the page: ${context.scrubbed.map((k) => SCRUBBED[k] ?? k).join(', ')}.`
              : ''}{' '}
            {context.droppedBreadcrumbs > 0 ? `${context.droppedBreadcrumbs} older events were not kept.` : ''}
          </p>
        ) : null}
        <div class="tab-panel" role="tabpanel" id={`panel-${tab.value}`} aria-labelledby={`tab-${tab.value}`}>
          {tab.value === 'errors' ? (
            context.errors.length > 0 ? (
              <ol class="errors">
                {context.errors.map((e, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: errors of one stored report
                  <ErrorCard key={n} error={e} />
                ))}
              </ol>
            ) : (
              <p class="muted">No errors were caught on the page.</p>
            )
          ) : tab.value === 'timeline' ? (
            <Timeline crumbs={context.breadcrumbs} reportedAt={reportedAt} />
          ) : env ? (
            <dl class="facts wide">
              <dt>Summary</dt>
              <dd>{environmentLine(env, client)}</dd>
              <dt>Page</dt>
              <dd class="mono">{env.url}</dd>
              <dt>Referrer</dt>
              <dd class="mono">{env.referrer || '—'}</dd>
              <dt>Browser</dt>
              <dd class="mono">{env.userAgent}</dd>
              <dt>Device</dt>
              <dd>{client.device}</dd>
              <dt>Screen</dt>
              <dd>
                {env.screen.width}×{env.screen.height} @{env.screen.pixelRatio}x
              </dd>
              <dt>Online</dt>
              <dd>{env.online ? 'Yes' : 'No'}</dd>
              <dt>Host user id</dt>
              <dd>{env.userId ?? '—'}</dd>
            </dl>
          ) : (
            <p class="muted">The user removed the environment before sending.</p>
          )}
        </div>
      </div>
    </div>
  );
}
