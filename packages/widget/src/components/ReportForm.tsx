import { ATTACHMENT_LIMITS, type Breadcrumb, PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetContext } from '../context.js';
import type { ReportDraft, ReportField, ReportModel } from '../models/ReportModel.js';
import type { Strings } from '../strings.js';
import { FilePicker, UploadChips } from './Uploads.js';

/** "Report a problem": the structured incident form, and what will be attached with it. */
export function ReportForm({ ctx }: { ctx: WidgetContext }) {
  const { strings, report } = ctx;
  const first = useRef<HTMLElement>(null);
  useEffect(() => {
    if (ctx.open.value) first.current?.focus();
  }, []);

  if (report.state.value === 'sent' && report.sent.value) {
    const incident = report.sent.value;
    return (
      <div class="report sent" aria-live="polite">
        <p class="sent-title">{strings.reportSent}</p>
        <p>{strings.promise(PRIORITY_RESPONSE_HOURS[incident.priority])}</p>
        <button type="button" class="primary" onClick={() => ctx.openThread(incident.conversationId)}>
          {strings.openReport}
        </button>
      </div>
    );
  }

  const d = report.draft.value;
  const errors = report.errors.value;
  const shown = (field: ReportField) => (report.touched.value.has(field) ? errors[field] : undefined);
  const areas = ctx.bridge.options.incidentAreas?.filter((a) => typeof a === 'string' && a.trim()) ?? [];
  const text = (field: 'area' | 'errorMessage' | 'details') => ({
    id: `parley-${field}`,
    value: d[field],
    'aria-invalid': shown(field) ? true : undefined,
    'aria-describedby': shown(field) ? `parley-${field}-error` : undefined,
    onInput: (e: Event) => report.set(field, (e.currentTarget as HTMLInputElement).value),
    onBlur: () => report.touch(field),
  });

  return (
    <form
      class="report"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void report.submit().then((ok) => {
          if (ok) {
            ctx.bridge.emit('incidentReported', report.sent.value!);
            return;
          }
          // Take the user to the first field that needs them.
          requestAnimationFrame(() => {
            const bad = ctx.bridge.container.querySelector<HTMLElement>('.report [aria-invalid="true"]');
            (bad?.matches('fieldset') ? bad.querySelector<HTMLElement>('input') : bad)?.focus();
          });
        });
      }}
    >
      <p class="intro">{strings.reportIntro}</p>

      <Field id="area" label={strings.area} error={shown('area')}>
        {areas.length > 0 ? (
          <select ref={first as never} {...text('area')}>
            <option value="">{strings.areaPick}</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        ) : (
          <input ref={first as never} type="text" maxLength={200} {...text('area')} />
        )}
      </Field>

      <Choice
        model={report}
        field="usersAffected"
        legend={strings.usersAffected}
        error={shown('usersAffected')}
        options={[
          ['one', strings.usersOne],
          ['several', strings.usersSeveral],
          ['many', strings.usersMany],
        ]}
      />
      <Choice
        model={report}
        field="platformState"
        legend={strings.platformState}
        error={shown('platformState')}
        options={[
          ['down', strings.stateDown],
          ['degraded', strings.stateDegraded],
          ['working', strings.stateWorking],
        ]}
      />
      <Choice
        model={report}
        field="workaround"
        legend={strings.workaround}
        error={shown('workaround')}
        options={[
          ['yes', strings.yes],
          ['no', strings.no],
        ]}
      />

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

      <fieldset class="field">
        <legend>{strings.steps}</legend>
        <ol class="steps">
          {d.steps.map((step, i) => {
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
                      d.steps.map((s, j) => (j === i ? (e.currentTarget as HTMLInputElement).value : s)),
                    )
                  }
                  onBlur={() => report.touch(`steps.${i}`)}
                />
                {d.steps.length > 1 ? (
                  <button
                    type="button"
                    class="link-button"
                    aria-label={strings.removeStep(i + 1)}
                    onClick={() =>
                      report.set(
                        'steps',
                        d.steps.filter((_, j) => j !== i),
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
        {d.steps.length < 20 ? (
          <button type="button" class="link-button" onClick={() => report.set('steps', [...d.steps, ''])}>
            + {strings.addStep}
          </button>
        ) : null}
      </fieldset>

      <Field id="errorMessage" label={strings.errorMessage} error={shown('errorMessage')}>
        <textarea rows={2} {...text('errorMessage')} />
      </Field>
      <Field id="details" label={strings.details} error={shown('details')}>
        <textarea rows={2} {...text('details')} />
      </Field>

      <Files ctx={ctx} />
      <Attached ctx={ctx} />

      {report.failure.value ? (
        <p class="field-error" role="alert">
          {report.failure.value}
        </p>
      ) : Object.keys(errors).length > 0 &&
        report.touched.value.has('area') &&
        report.touched.value.has('workaround') ? (
        <p class="field-error">{strings.fixErrors}</p>
      ) : null}
      <button type="submit" class="primary" disabled={report.state.value === 'sending' || report.uploads.busy.value}>
        {report.state.value === 'sending' ? strings.sendingReport : strings.sendReport}
      </button>
    </form>
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
  field: 'usersAffected' | 'platformState' | 'workaround';
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

/** What will be attached, item by item, each removable; or nothing at all. */
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
            <Items title={strings.contextErrors}>
              {context.errors.map((e, i) => (
                <Item
                  key={`${e.firstAt}${e.message}`}
                  strings={strings}
                  text={e.count > 1 ? `${e.message} ${strings.times(e.count)}` : e.message}
                  onRemove={() => report.removeFromContext({ error: i })}
                />
              ))}
            </Items>
          ) : null}
          {context.breadcrumbs.length > 0 ? (
            <Items title={strings.contextRequests}>
              {context.breadcrumbs.map((b, i) => (
                <Item
                  key={`${b.at}${i}`}
                  strings={strings}
                  text={describeBreadcrumb(b)}
                  onRemove={() => report.removeFromContext({ breadcrumb: i })}
                />
              ))}
            </Items>
          ) : null}
          {env ? (
            <Items title={strings.contextEnvironment}>
              <Item
                strings={strings}
                text={`${env.userAgent} · ${env.viewport.width}×${env.viewport.height} · ${env.language} · ${env.url}`}
                onRemove={() => report.removeFromContext('environment')}
              />
            </Items>
          ) : null}
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

function Item({ text, onRemove, strings }: { text: string; onRemove: () => void; strings: Strings }) {
  return (
    <li class="item">
      <span>{text}</span>
      <button type="button" class="link-button" aria-label={strings.removeItem(text)} onClick={onRemove}>
        {strings.remove}
      </button>
    </li>
  );
}

function describeBreadcrumb(b: Breadcrumb): string {
  switch (b.type) {
    case 'request':
      return `${b.method} ${b.url} → ${b.status ?? '—'}`;
    case 'console':
      return `console.${b.level}: ${b.message}`;
    case 'navigation':
      return `→ ${b.to}`;
    case 'click':
      return `click ${b.selector}`;
  }
}
