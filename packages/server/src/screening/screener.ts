import type {
  MessageScreening,
  PolicyClause,
  ScreeningAction,
  ScreeningCategory,
  ScreeningNote,
} from '@parley/sdk/protocol';
import { applySpans, type SensitiveSpan } from '@parley/sdk/screening';
import { TEXT_DETECTORS } from './detectors/index.js';
import { effectiveRules, type Policy, type PolicyRule } from './policy.js';
import { type Finding, type ScreenContext, ScreenInput, type Span } from './types.js';

/** A policy ready to run: its rules by detector, and only the detectors some rule acts on. */
export interface CompiledPolicy {
  version: string;
  rulesByDetector: ReadonlyMap<string, readonly PolicyRule[]>;
  detectors: typeof TEXT_DETECTORS;
}

/**
 * Compiles a policy for one app. With a Business Associate Agreement (`hipaaBaa`), health
 * information is allowed: those rules become `allow`.
 */
export function compilePolicy(policy: Policy, options: { hipaaBaa?: boolean } = {}): CompiledPolicy {
  const byDetector = new Map<string, PolicyRule[]>();
  for (const r of effectiveRules(policy)) {
    const action = options.hipaaBaa && r.category === 'health' ? 'allow' : r.action;
    if (action === 'allow') continue;
    byDetector.set(r.detector, [...(byDetector.get(r.detector) ?? []), { ...r, action }]);
  }
  return {
    version: policy.version,
    rulesByDetector: byDetector,
    detectors: TEXT_DETECTORS.filter((d) => d.ids.some((id) => byDetector.has(id))),
  };
}

/** One rule that applied, with the spans that matched in the original text. */
export interface AppliedRule {
  rule: string;
  detector: string;
  category: ScreeningCategory;
  action: Exclude<ScreeningAction, 'allow'>;
  clause: PolicyClause;
  spans: Span[];
  replacements?: string[];
  /** The finding's confidence, when it was less than certain. */
  confidence?: number;
}

/** The explainable outcome of screening one text. */
export interface Verdict {
  action: ScreeningAction;
  /** The text to store: redacted where rules said so; null when blocked. */
  text: string | null;
  applied: AppliedRule[];
}

const STRENGTH: Record<ScreeningAction, number> = { allow: 0, flag: 1, redact: 2, block: 3 };

/** Runs the policy's detectors over a text (plus findings made elsewhere) and applies its rules. */
export function screenText(
  text: string,
  context: ScreenContext,
  policy: CompiledPolicy,
  extra: readonly Finding[] = [],
): Verdict {
  return screenInput(new ScreenInput(text, context), policy, extra);
}

export function screenInput(input: ScreenInput, policy: CompiledPolicy, extra: readonly Finding[] = []): Verdict {
  const findings: Finding[] = extra.length ? [...extra] : [];
  for (const detector of policy.detectors) {
    const found = detector.detect(input);
    if (found.length) findings.push(...found);
  }
  return applyRules(input.text, findings, policy);
}

/**
 * The rule that speaks for a finding: of those whose confidence threshold it meets (flag from
 * 0.75, block from 0.95 …), the one with the strongest action. A redaction needs something to
 * replace; about the whole text, it can only flag.
 */
function strongestRule(
  f: Finding,
  policy: CompiledPolicy,
): [PolicyRule, Exclude<ScreeningAction, 'allow'>] | undefined {
  const confidence = f.confidence ?? 1;
  let chosen: [PolicyRule, Exclude<ScreeningAction, 'allow'>] | undefined;
  for (const r of policy.rulesByDetector.get(f.detector) ?? []) {
    if (confidence < (r.confidence ?? 0) || r.action === 'allow') continue;
    const action = r.action === 'redact' && f.spans.length === 0 ? 'flag' : r.action;
    if (!chosen || STRENGTH[action] > STRENGTH[chosen[1]]) chosen = [r, action];
  }
  return chosen;
}

/**
 * A model speaks for what the rules missed: its finding is dropped where a rule already took
 * an action as strong in the same category ("you idiot" is an insult; the abuse model saying so
 * too adds nothing for the agent).
 */
function withoutEchoes(applied: AppliedRule[]): AppliedRule[] {
  return applied.filter(
    (a) =>
      !a.detector.endsWith('_model') ||
      !applied.some(
        (b) => !b.detector.endsWith('_model') && b.category === a.category && STRENGTH[b.action] >= STRENGTH[a.action],
      ),
  );
}

export function applyRules(text: string, findings: readonly Finding[], policy: CompiledPolicy): Verdict {
  if (findings.length === 0) return { action: 'allow', text, applied: [] };
  const all: AppliedRule[] = [];
  for (const f of findings) {
    const chosen = strongestRule(f, policy);
    if (chosen) {
      const [r, effective] = chosen;
      // Built, then given its optional parts: a literal with parts spread into it is made the
      // slow way, and this runs for every finding.
      const entry: AppliedRule = {
        rule: r.id,
        detector: f.detector,
        category: r.category,
        action: effective,
        clause: r.clause,
        spans: f.spans,
      };
      if (f.confidence !== undefined) entry.confidence = f.confidence;
      if (effective === 'redact') entry.replacements = f.spans.map((_, i) => f.replacements?.[i] ?? '[removed]');
      all.push(entry);
    }
  }
  const applied = withoutEchoes(all);
  let action: ScreeningAction = 'allow';
  for (const a of applied) if (STRENGTH[a.action] > STRENGTH[action]) action = a.action;
  if (action === 'block') return { action, text: null, applied };
  const redactions: SensitiveSpan[] = [];
  for (const a of applied) {
    if (a.action !== 'redact') continue;
    a.spans.forEach(({ start, end }, i) => {
      redactions.push({ start, end, kind: a.detector, replacement: a.replacements?.[i] ?? '[removed]' });
    });
  }
  return { action, text: applySpans(text, redactions), applied };
}

/** The first blocking rule: what the sender is told. */
export function blockingRule(verdict: Verdict): AppliedRule | undefined {
  return verdict.applied.find((a) => a.action === 'block');
}

/** What a stored message carries about its screening (nothing when nothing applied). */
export function messageScreening(verdict: Verdict): MessageScreening | undefined {
  if (verdict.action !== 'redact' && verdict.action !== 'flag') return undefined;
  const notes = new Map<string, ScreeningNote>();
  for (const a of verdict.applied) {
    if (a.action === 'block') continue;
    const known = notes.get(a.rule);
    if (known) {
      if (a.replacements) known.replacements = [...(known.replacements ?? []), ...a.replacements];
      continue;
    }
    notes.set(a.rule, {
      rule: a.rule,
      category: a.category,
      action: a.action,
      clause: a.clause,
      ...(a.replacements ? { replacements: [...a.replacements] } : {}),
      ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
    });
  }
  return { action: verdict.action, notes: [...notes.values()] };
}

/** Unique values in order: for the categories, rules and clauses of a verdict. */
export function summary(verdict: Verdict) {
  const unique = <T>(values: T[]) => [...new Set(values)];
  return {
    categories: unique(verdict.applied.map((a) => a.category)),
    rules: unique(verdict.applied.map((a) => a.rule)),
    clauses: unique(verdict.applied.map((a) => `${a.clause.document} ${a.clause.ref}`)),
  };
}

/** One screening for several texts screened apart (the fields of a report). */
export function mergeScreenings(list: readonly (MessageScreening | undefined)[]): MessageScreening | undefined {
  const notes = new Map<string, ScreeningNote>();
  let action: MessageScreening['action'] | undefined;
  for (const s of list) {
    if (!s) continue;
    if (s.action === 'redact' || !action) action = s.action === 'redact' ? 'redact' : (action ?? 'flag');
    for (const n of s.notes) {
      const known = notes.get(n.rule);
      if (!known) notes.set(n.rule, { ...n, ...(n.replacements ? { replacements: [...n.replacements] } : {}) });
      else if (n.replacements) known.replacements = [...(known.replacements ?? []), ...n.replacements];
    }
  }
  return action ? { action, notes: [...notes.values()] } : undefined;
}
