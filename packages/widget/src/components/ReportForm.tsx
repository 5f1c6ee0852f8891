import {
  ATTACHMENT_LIMITS,
  type Breadcrumb,
  type EnvironmentInfo,
  PRIORITY_RESPONSE_HOURS,
  suggestPriority,
} from '@parley/sdk/protocol';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetContext } from '../context.js';
import { type ReportDraft, type ReportModel, STEPS } from '../models/ReportModel.js';
import type { Strings } from '../strings.js';
import { promise } from './IncidentCard.js';
import { FilePicker, UploadChips } from './Uploads.js';

type Choices = 'usersAffected' | 'platformState' | 'workaround';

/** The answers of the three impact questions, in the user's words. */
const choices = (strings: Strings): Record<Choices, [string, string][]> => ({
  usersAffected: [
    ['one', strings.usersOne],
    ['several', strings.usersSeveral],
    ['many', strings.usersMany],
  ],
  platformState: [
    ['down', strings.stateDown],
    ['degraded', strings.stateDegraded],
    ['working', strings.stateWorking],
  ],
  workaround: [
    ['yes', strings.yes],
    ['no', strings.no],
  ],
});

/**
 * "Report a problem" in four steps (UX.md §2.3): what's wrong, its impact (with the outcome as
 * the user answers), the steps to reproduce with files, and a review with what will be attached
 * in people's words. Back keeps everything; the draft outlives closing the panel.
 */
export function ReportForm({ ctx }: { ctx: WidgetContext }) {
  const { strings, report } = ctx;
  const step = report.step.value;
  const top = useRef<HTMLFormElement>(null);
  // Each step starts at its top, with the focus on its first field (not on a touch screen's
  // first open, where that raises the keyboard: the panel's mount decides then).
  useEffect(() => {
    top.current?.scrollTo?.(0, 0);
    if (ctx.open.value) top.current?.querySelector<HTMLElement>('input,select,textarea')?.focus();
  }, [step]);

  if (report.state.value === 'sent' && report.sent.value) return <Sent ctx={ctx} />;

  const d = report.draft.value;
  const errors = report.errors.value;
  const shown = (field: string) => (report.touched.value.has(field) ? errors[field] : undefined);
  const areas = ctx.bridge.options.incidentAreas?.filter((a) => typeof a === 'string' && a.trim()) ?? [];
  const text = (field: 'area' | 'errorMessage' | 'details') => ({
    id: `parley-${field}`,
    value: d[field],
    'aria-invalid': shown(field) ? true : undefined,
    'aria-describedby': shown(field) ? `parley-${field}-error` : undefined,
    onInput: (e: Event) => report.set(field, (e.currentTarget as HTMLInputElement).value),
    onBlur: () => report.touch(field),
  });
  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const bad = top.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (bad?.matches('fieldset') ? bad.querySelector<HTMLElement>('input') : bad)?.focus();
    });
  const last = step === STEPS.length - 1;
  const options = choices(strings);
  const impact = d.usersAffected && d.platformState && d.workaround;

  return (
    <form
      class="report"
      ref={top}
      noValidate
      aria-labelledby="parley-step"
      onSubmit={(e) => {
        e.preventDefault();
        if (!last) {
          if (!report.next()) focusFirstError();
          return;
        }
        void report.submit().then((ok) => {
          if (ok) {
            ctx.bridge.emit('incidentReported', report.sent.value!);
            // Its conversation, with the incident for the card, joins the list.
            void ctx.conversations.refresh().catch(() => undefined);
          } else focusFirstError();
        });
      }}
    >
      <div class="progress">
        <p id="parley-step">
          {strings.stepOf(step + 1, STEPS.length)} · {strings.stepNames[step]}
        </p>
        <ol aria-hidden="true">
          {strings.stepNames.map((name, n) => (
            <li key={name} class={n <= step ? 'done' : undefined} />
          ))}
        </ol>
      </div>

      {step === 0 ? (
        <>
          <p class="intro">{strings.reportIntro}</p>
          <Field id="area" label={strings.area} error={shown('area')}>
            {areas.length > 0 ? (
              <select {...text('area')}>
                <option value="">{strings.areaPick}</option>
                {areas.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            ) : (
              <input type="text" maxLength={200} {...text('area')} />
            )}
          </Field>
          <Field id="details" label={strings.details} error={shown('details')}>
            <textarea rows={3} {...text('details')} />
          </Field>
          <Field id="errorMessage" label={strings.errorMessage} error={shown('errorMessage')}>
            {report.context.value?.errors.length && d.errorMessage ? (
              <span class="hint">{strings.errorFound}</span>
            ) : null}
            <textarea rows={2} {...text('errorMessage')} />
          </Field>
        </>
      ) : null}

      {step === 1 ? (
        <>
          {(['usersAffected', 'platformState', 'workaround'] as const).map((field) => (
            <Choice
              key={field}
              model={report}
              field={field}
              legend={strings[field]}
              error={shown(field)}
              options={options[field]}
            />
          ))}
          <Field id="startedAt" label={strings.startedAt} error={shown('startedAt')}>
            <input
              id="parley-startedAt"
              type="datetime-local"
              value={d.startedAt}
              aria-invalid={shown('startedAt') ? true : undefined}
              aria-describedby={shown('startedAt') ? 'parley-startedAt-error' : undefined}
              onInput={(e) => report.set('startedAt', (e.currentTarget as HTMLInputElement).value)}
              onBlur={() => report.touch('startedAt')}
            />
          </Field>
          {impact ? (
            <output class="outcome">
              {(() => {
                const priority = suggestPriority({
                  usersAffected: d.usersAffected as 'one',
                  platformState: d.platformState as 'down',
                  workaround: d.workaround === 'yes',
                });
                return strings.outcome(priority, strings.within(PRIORITY_RESPONSE_HOURS[priority]));
              })()}
            </output>
          ) : null}
        </>
      ) : null}

      {step === 2 ? (
        <>
          <Steps model={report} strings={strings} shown={shown} />
          <Files ctx={ctx} />
        </>
      ) : null}

      {step === 3 ? <Review ctx={ctx} /> : null}

      {report.failure.value ? (
        <p class="field-error" role="alert">
          {report.failure.value}
        </p>
      ) : report.stepErrors.value.some((f) => report.touched.value.has(f)) ? (
        <p class="field-error" role="alert">
          {strings.fixErrors}
        </p>
      ) : null}
      <button type="button" class="link-button discard" onClick={() => report.discard()}>
        {strings.discard}
      </button>
      <div class="form-nav">
        {step > 0 ? (
          <button type="button" class="secondary" onClick={() => report.goTo(step - 1)}>
            {strings.previous}
          </button>
        ) : null}
        <button type="submit" class="primary" disabled={report.state.value === 'sending' || report.uploads.busy.value}>
          {!last ? strings.next : report.state.value === 'sending' ? strings.sendingReport : strings.sendReport}
        </button>
      </div>
    </form>
  );
}

/** The confirmation (UX.md §2.5): the reference, what happens next, and the ways on. */
function Sent({ ctx }: { ctx: WidgetContext }) {
  const { strings } = ctx;
  const incident = ctx.report.sent.value!;
  // The heading takes the focus, so a screen reader reads where the report went.
  return (
    <div class="report sent">
      <svg class="sent-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z" />
      </svg>
      <h3 class="sent-title" tabIndex={-1} ref={(el) => el?.focus()}>
        {strings.reportSent}
      </h3>
      <p class="reference">{strings.reference(incident.number)}</p>
      <p>
        {promise(strings, incident)} {strings.answerHere}
      </p>
      <button type="button" class="primary" onClick={() => ctx.openThread(incident.conversationId)}>
        {strings.openReport}
      </button>
      <button type="button" class="secondary" onClick={() => ctx.showHome()}>
        {strings.backHome}
      </button>
    </div>
  );
}

function Field(props: { id: string; label: string; error: string | undefined; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={`parley-${props.id}`}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p class="field-error" id={`parley-${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function Choice(props: {
  model: ReportModel;
  field: Choices;
  legend: string;
  error: string | undefined;
  options: [string, string][];
}) {
  const { model, field } = props;
  const value = model.draft.value[field];
  return (
    <fieldset
      class="field choice"
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? `parley-${field}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      {props.options.map(([v, label]) => (
        <label key={v}>
          <input
            type="radio"
            name={`parley-${field}`}
            value={v}
            checked={value === v}
            onChange={() => {
              model.set(field, v as ReportDraft[typeof field]);
              model.touch(field);
            }}
          />
          {label}
        </label>
      ))}
      {props.error ? (
        <p class="field-error" id={`parley-${field}-error`}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Steps(props: { model: ReportModel; strings: Strings; shown: (f: string) => string | undefined }) {
  const { model: report, strings, shown } = props;
  const steps = report.draft.value.steps;
  return (
    <fieldset class="field">
      <legend>{strings.steps}</legend>
      <ol class="steps">
        {steps.map((step, i) => {
          const error = shown(`steps.${i}`);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positions in a list
            <li key={i}>
              <input
                type="text"
                aria-label={strings.step(i + 1)}
                value={step}
                aria-invalid={error ? true : undefined}
                onInput={(e) =>
                  report.set(
                    'steps',
                    steps.map((s, j) => (j === i ? (e.currentTarget as HTMLInputElement).value : s)),
                  )
                }
                onBlur={() => report.touch(`steps.${i}`)}
              />
              {steps.length > 1 ? (
                <button
                  type="button"
                  class="link-button"
                  aria-label={strings.removeStep(i + 1)}
                  onClick={() =>
                    report.set(
                      'steps',
                      steps.filter((_, j) => j !== i),
                    )
                  }
                >
                  ×
                </button>
              ) : null}
              {error ? <p class="field-error">{error}</p> : null}
            </li>
          );
        })}
      </ol>
      {steps.length < 20 ? (
        <button type="button" class="link-button" onClick={() => report.set('steps', [...steps, ''])}>
          + {strings.addStep}
        </button>
      ) : null}
    </fieldset>
  );
}

function Files({ ctx }: { ctx: WidgetContext }) {
  const { strings } = ctx;
  const { uploads } = ctx.report;
  return (
    <div class="field">
      <span class="label">{strings.files}</span>
      <span class="hint">{strings.attachLimits(ATTACHMENT_LIMITS.maxBytes / 1048576)}</span>
      <UploadChips uploads={uploads} strings={strings} />
      <FilePicker uploads={uploads}>
        {(open) => (
          <button type="button" class="secondary" onClick={open}>
            {strings.attach}
          </button>
        )}
      </FilePicker>
    </div>
  );
}

/** The answers, section by section with *Edit*, then what will be attached. */
function Review({ ctx }: { ctx: WidgetContext }) {
  const { strings, report } = ctx;
  const d = report.draft.value;
  const options = choices(strings);
  const said = (field: Choices) => options[field].find(([v]) => v === d[field])?.[1];
  const files = report.uploads.items.value.filter((u) => u.attachment);
  const sections: [number, (string | undefined)[]][] = [
    [0, [d.area, d.details, d.errorMessage]],
    [1, [said('usersAffected'), said('platformState'), `${strings.workaround} ${said('workaround')}`]],
    [2, [...d.steps.filter((s) => s.trim()).map((s, i) => `${i + 1}. ${s}`), ...files.map((f) => f.attachment!.name)]],
  ];
  return (
    <>
      {sections.map(([n, lines]) => (
        <section class="answers" key={n}>
          <h4>{strings.stepNames[n]}</h4>
          {lines
            .filter((l) => l?.trim())
            .map((line) => (
              <p key={line}>
                <bdi>{line}</bdi>
              </p>
            ))}
          <button
            type="button"
            class="link-button"
            aria-label={`${strings.edit}: ${strings.stepNames[n]}`}
            onClick={() => report.goTo(n)}
          >
            {strings.edit}
          </button>
        </section>
      ))}
      <Attached ctx={ctx} />
    </>
  );
}

const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/** A URL as a person reads it in a list: the path (and query) on this site, the whole elsewhere. */
function shortUrl(url: string): string {
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? u.pathname + u.search : u.href;
  } catch {
    return url;
  }
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome 126 on macOS · window 1440×900 · en-GB · Europe/Madrid · page /checkout · app 4.2.0" */
function describeEnvironment(env: EnvironmentInfo, strings: Strings): string {
  const ua = env.userAgent;
  const browser = BROWSERS.map(([re, name]) => {
    const m = re.exec(ua);
    return m ? `${name} ${m[1]}` : '';
  }).find(Boolean);
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return [
    browser && os ? strings.browserOn(browser, os) : (browser ?? os),
    strings.windowSize(env.viewport.width, env.viewport.height),
    env.language,
    env.timeZone,
    strings.page(shortUrl(env.url)),
    env.appVersion ? strings.app(env.appVersion) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function describeBreadcrumb(b: Breadcrumb, strings: Strings): string {
  const what =
    b.type === 'request'
      ? strings.requestFailed(`${b.method} ${shortUrl(b.url)}`, b.status)
      : b.type === 'console'
        ? strings.consoleLine(b.level, b.message.split('\n')[0]!)
        : b.type === 'navigation'
          ? strings.went(shortUrl(b.from), shortUrl(b.to))
          : strings.clicked(b.selector);
  return `${timeOf(b.at)} · ${what}`;
}

/** What will be attached (UX.md §2.4), in people's words: each item removable, or none at all. */
function Attached({ ctx }: { ctx: WidgetContext }) {
  const { strings, report } = ctx;
  const context = report.context.value;
  if (!context) return null;
  const on = report.attachContext.value;
  const env = context.environment;
  const nothing = context.errors.length === 0 && context.breadcrumbs.length === 0 && !env;
  return (
    <fieldset class="field attached">
      <legend class="sr-only">{strings.attachContext}</legend>
      <label class="toggle">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            report.attachContext.value = (e.currentTarget as HTMLInputElement).checked;
          }}
        />
        {strings.attachContext}
      </label>
      {on ? (
        <>
          <p class="hint">{strings.contextHelp}</p>
          {nothing ? <p class="hint">{strings.contextEmpty}</p> : null}
          {context.errors.length > 0 ? (
            <Items title={strings.contextErrors(context.errors.length)}>
              {context.errors.map((e, i) => (
                <Item
                  key={`${e.firstAt}${e.message}`}
                  strings={strings}
                  text={`${e.message.split('\n')[0]} — ${strings.times(e.count, timeOf(e.lastAt))}`}
                  details={e.stack.join('\n')}
                  onRemove={() => report.removeFromContext({ error: i })}
                />
              ))}
            </Items>
          ) : null}
          {context.breadcrumbs.length > 0 ? (
            <Items title={strings.contextRequests(context.breadcrumbs.length)}>
              {context.breadcrumbs.map((b, i) => (
                <Item
                  key={`${b.at}${i}`}
                  strings={strings}
                  text={describeBreadcrumb(b, strings)}
                  onRemove={() => report.removeFromContext({ breadcrumb: i })}
                />
              ))}
            </Items>
          ) : null}
          {env ? (
            <Items title={strings.contextEnvironment}>
              <Item
                strings={strings}
                text={describeEnvironment(env, strings)}
                details={env.userAgent}
                onRemove={() => report.removeFromContext('environment')}
              />
            </Items>
          ) : null}
          {context.scrubbed.length ? <p class="hint">{strings.contextScrubbed}</p> : null}
          {context.droppedBreadcrumbs ? <p class="hint">{strings.contextDropped(context.droppedBreadcrumbs)}</p> : null}
          {nothing ? null : (
            <button type="button" class="link-button" onClick={() => report.removeFromContext('all')}>
              {strings.removeAll}
            </button>
          )}
        </>
      ) : null}
    </fieldset>
  );
}

function Items({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="items">
      <p class="label">{title}</p>
      <ul>{children}</ul>
    </div>
  );
}

/** One item: its summary line, the rest on expand (a stack, the full user agent). */
function Item(props: { text: string; details?: string; onRemove: () => void; strings: Strings }) {
  const { text, details, strings } = props;
  return (
    <li class="item">
      {details ? (
        <details>
          <summary>
            <bdi>{text}</bdi>
          </summary>
          <pre>{details}</pre>
        </details>
      ) : (
        <bdi>{text}</bdi>
      )}
      <button type="button" class="link-button" aria-label={strings.removeItem(text)} onClick={props.onRemove}>
        {strings.remove}
      </button>
    </li>
  );
}
