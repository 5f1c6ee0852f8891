import {
  type ErrorContext,
  type IncidentImpact,
  type IncidentPrefill,
  type ParleyClient,
  ParleyClientError,
  prefersNoTracking,
  snapshotOf,
  type VisitorIncident,
} from '@parley/sdk/browser';
import type { ErrorRecorder } from '@parley/sdk/error-context';
import { INCIDENT_LIMITS } from '@parley/sdk/protocol';
import { batch, computed, signal } from '@preact/signals';
import type { Strings } from '../strings.js';
import { createUploadsModel } from './UploadsModel.js';

/** The form's fields as the user edits them: choices stay '' until picked. */
export interface ReportDraft {
  area: string;
  details: string;
  usersAffected: IncidentImpact['usersAffected'] | '';
  platformState: IncidentImpact['platformState'] | '';
  workaround: 'yes' | 'no' | '';
  /** A datetime-local value, in the user's own time zone. */
  startedAt: string;
  steps: string[];
  errorMessage: string;
}

export type ReportField = keyof ReportDraft | `steps.${number}`;

/** The form's four steps (UX.md §2.3) and the fields each asks for; the last is the review. */
export const STEPS: readonly (keyof ReportDraft)[][] = [
  ['area', 'details', 'errorMessage'],
  ['usersAffected', 'platformState', 'workaround', 'startedAt'],
  ['steps'],
  [],
];

/** The fields of a step as the errors name them (each step of the reproduction its own). */
function fieldsOf(step: number, d: ReportDraft): string[] {
  return (STEPS[step] ?? []).flatMap((f) => (f === 'steps' ? d.steps.map((_, i) => `steps.${i}`) : [f]));
}

/** `2026-11-22T10:58` in local time, as `<input type="datetime-local">` wants it. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Every problem with the draft, by field, in the user's language. */
export function validateDraft(d: ReportDraft, strings: Strings, now: Date): Partial<Record<ReportField, string>> {
  const errors: Partial<Record<ReportField, string>> = {};
  const long = (field: ReportField, value: string, max: number) => {
    if (value.length > max) errors[field] = strings.tooLong(max);
  };
  if (!d.area.trim()) errors.area = strings.required;
  long('area', d.area, INCIDENT_LIMITS.areaMaxChars);
  for (const field of ['usersAffected', 'platformState', 'workaround'] as const) {
    if (!d[field]) errors[field] = strings.required;
  }
  const started = new Date(d.startedAt);
  if (!d.startedAt || Number.isNaN(started.getTime())) errors.startedAt = strings.required;
  else if (started.getTime() > now.getTime() + 60_000) errors.startedAt = strings.inFuture;
  d.steps.forEach((step, i) => {
    long(`steps.${i}`, step, INCIDENT_LIMITS.stepMaxChars);
  });
  long('errorMessage', d.errorMessage, INCIDENT_LIMITS.errorMessageMaxChars);
  long('details', d.details, INCIDENT_LIMITS.detailsMaxChars);
  return errors;
}

/**
 * "Report a problem": the draft (kept while the panel is closed), what will be attached and
 * which parts the user removed, validation as the user goes, and sending.
 */
export function createReportModel(client: ParleyClient, recorder: ErrorRecorder | undefined, strings: Strings) {
  const empty = (): ReportDraft => ({
    area: '',
    details: '',
    usersAffected: '',
    platformState: '',
    workaround: '',
    startedAt: '',
    steps: [''],
    errorMessage: '',
  });
  const draft = signal<ReportDraft>(empty());
  const context = signal<ErrorContext | null>(null);
  const attachContext = signal(false);
  /** Fields the user has left (or tried to send): only those show their errors. */
  const touched = signal<ReadonlySet<string>>(new Set());
  const serverErrors = signal<Record<string, string>>({});
  const state = signal<'editing' | 'sending' | 'sent'>('editing');
  const failure = signal<string | null>(null);
  const sent = signal<VisitorIncident | null>(null);
  const step = signal(0);
  const uploads = createUploadsModel(client);
  let started = false;
  let clientId = '';

  const errors = computed<Record<string, string | undefined>>(() => ({
    ...serverErrors.value,
    ...validateDraft(draft.value, strings, new Date()),
  }));

  return {
    draft,
    context,
    attachContext,
    touched,
    errors,
    state,
    failure,
    sent,
    step,
    uploads,
    /** The fields of the current step that need the user, once they tried to go on. */
    stepErrors: computed(() => fieldsOf(step.value, draft.value).filter((f) => errors.value[f])),
    /** Goes on when the current step is complete; shows its errors otherwise. */
    next(): boolean {
      const fields = fieldsOf(step.value, draft.value);
      touched.value = new Set([...touched.value, ...fields]);
      if (fields.some((f) => errors.value[f])) return false;
      step.value = Math.min(step.value + 1, STEPS.length - 1);
      return true;
    },
    goTo(n: number) {
      step.value = n;
    },
    /** Throws the draft away: the next opening starts afresh from the page's context. */
    discard() {
      batch(() => {
        draft.value = empty();
        touched.value = new Set();
        serverErrors.value = {};
        failure.value = null;
        step.value = 0;
        uploads.take();
      });
      started = false;
      this.begin();
    },
    /** Opens the form: a draft in progress is kept; a new one is filled from the context. */
    begin(prefill: IncidentPrefill = {}) {
      if (state.value === 'sent') state.value = 'editing';
      if (started && Object.keys(prefill).length === 0) return;
      const snapshot = started ? context.value : recorder ? snapshotOf(recorder) : null;
      const errs = snapshot?.errors ?? [];
      const first = errs.reduce<string | undefined>((min, e) => (!min || e.firstAt < min ? e.firstAt : min), undefined);
      const base = started ? draft.value : empty();
      batch(() => {
        context.value = snapshot;
        attachContext.value = snapshot !== null && !prefersNoTracking(navigator);
        draft.value = {
          ...base,
          startedAt: base.startedAt || toLocalInput(first ? new Date(first) : new Date()),
          errorMessage: base.errorMessage || (errs.at(-1)?.message ?? ''),
          ...definedOf(prefill),
          ...(prefill.workaround === undefined ? {} : { workaround: prefill.workaround ? 'yes' : 'no' }),
          ...(prefill.startedAt ? { startedAt: toLocalInput(new Date(prefill.startedAt)) } : {}),
          ...(prefill.steps?.length ? { steps: prefill.steps } : {}),
        };
      });
      if (!started) clientId = crypto.randomUUID?.() ?? String(Math.random()).slice(2);
      started = true;
    },
    set<K extends keyof ReportDraft>(field: K, value: ReportDraft[K]) {
      draft.value = { ...draft.value, [field]: value };
      if (serverErrors.value[field]) {
        const { [field]: _fixed, ...rest } = serverErrors.value;
        serverErrors.value = rest;
      }
    },
    touch(field: string) {
      if (!touched.value.has(field)) touched.value = new Set([...touched.value, field]);
    },
    /** Removes one error (index), one breadcrumb, the environment, or everything. */
    removeFromContext(part: { error: number } | { breadcrumb: number } | 'environment' | 'all') {
      const c = context.value;
      if (!c) return;
      if (part === 'all') attachContext.value = false;
      else if (part === 'environment') context.value = { ...c, environment: null };
      else if ('error' in part) context.value = { ...c, errors: c.errors.filter((_, i) => i !== part.error) };
      else context.value = { ...c, breadcrumbs: c.breadcrumbs.filter((_, i) => i !== part.breadcrumb) };
    },
    async submit(): Promise<boolean> {
      const d = draft.value;
      touched.value = new Set([...Object.keys(d), ...d.steps.map((_, i) => `steps.${i}`)]);
      if (Object.keys(errors.value).length > 0) {
        // Back to the first step with something to fix.
        step.value = Math.max(
          0,
          STEPS.findIndex((_, n) => fieldsOf(n, d).some((f) => errors.value[f])),
        );
        return false;
      }
      if (uploads.busy.value || state.value === 'sending') return false;
      state.value = 'sending';
      failure.value = null;
      try {
        const c = context.value;
        const incident = await client.reportIncident({
          clientId,
          area: d.area.trim(),
          ...(d.details.trim() ? { details: d.details.trim() } : {}),
          impact: {
            usersAffected: d.usersAffected as IncidentImpact['usersAffected'],
            platformState: d.platformState as IncidentImpact['platformState'],
            workaround: d.workaround === 'yes',
          },
          startedAt: new Date(d.startedAt),
          steps: d.steps.map((s) => s.trim()).filter(Boolean),
          errorMessage: d.errorMessage.trim(),
          attachmentIds: uploads.items.value.flatMap((u) => (u.attachment ? [u.attachment.id] : [])),
          context: attachContext.value && c && (c.errors.length || c.breadcrumbs.length || c.environment) ? c : null,
        });
        batch(() => {
          sent.value = incident;
          state.value = 'sent';
          step.value = 0;
          draft.value = empty();
          touched.value = new Set();
          uploads.take();
        });
        started = false;
        return true;
      } catch (err) {
        const fields = err instanceof ParleyClientError ? err.fields : undefined;
        batch(() => {
          state.value = 'editing';
          if (fields) serverErrors.value = fields;
          failure.value = strings.reportFailed(err instanceof Error ? err.message : String(err));
        });
        return false;
      }
    },
  };
}

function definedOf(prefill: IncidentPrefill): Partial<ReportDraft> {
  const out: Record<string, unknown> = {};
  for (const key of ['area', 'details', 'usersAffected', 'platformState', 'errorMessage'] as const) {
    const value = prefill[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out as Partial<ReportDraft>;
}

export type ReportModel = ReturnType<typeof createReportModel>;
