import { createHash } from 'node:crypto';
import type { AuthorType, MessageScreening } from '@parley/sdk/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { SharedState } from '../platform/shared-state.js';
import type { AppRecord, Store, VerdictRecord } from '../store/index.js';
import { RepeatTracker, repeatFinding } from './detectors/spam.js';
import { DEFAULT_POLICY, type Policy, validatePolicy } from './policy.js';
import {
  applyRules,
  blockingRule,
  type CompiledPolicy,
  compilePolicy,
  messageScreening,
  screenInput,
  summary,
  type Verdict,
} from './screener.js';
import { type Finding, type ScreenContext, ScreenInput } from './types.js';

/** One app's screening setup, compiled once and cached. */
export interface AppScreening {
  policy: Policy;
  compiled: CompiledPolicy;
  context: Pick<ScreenContext, 'appDomains' | 'appName'>;
  hipaaBaa: boolean;
  loadedAt: number;
}

export interface ScreenRequest {
  appId: string;
  surface: VerdictRecord['surface'];
  sender: { type: AuthorType; id: string; name?: string | null };
  text: string;
  /** The conversation (or, for a new one, a stable key for it): for repetition across them. */
  conversationKey?: string;
  /** For reports with several fields: which one this text is. */
  field?: string;
  /** For files: the bytes the audit hash is taken of (the text otherwise). */
  content?: Buffer;
}

export interface Screened {
  text: string;
  screening?: MessageScreening;
}

/** The hostnames an app serves its widget on: what its own links look like. */
export function appDomains(app: Pick<AppRecord, 'allowedOrigins'>): string[] {
  const hosts = new Set<string>();
  for (const origin of app.allowedOrigins) {
    const host = origin
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/:\d+$/, '')
      .replace(/^\*\./, '');
    if (host && host !== '*' && host !== 'localhost' && !/^[\d.]+$/.test(host) && !host.endsWith('.localhost')) {
      hosts.add(host.toLowerCase());
    }
  }
  return [...hosts];
}

/**
 * Screening before anything is stored: every message, report field and text attachment passes
 * through `screen`. Blocked content is never stored; a verdict without the content (categories,
 * rules, a SHA-256, who and when) is kept for audit for everything that was not allowed.
 * Policies are cached per app for `cacheMs` (a change made on this node applies at once).
 */
export class ScreeningService {
  private readonly apps = new Map<string, AppScreening>();
  private readonly invalidated: ((appId: string) => void)[] = [];
  readonly repeats: RepeatTracker;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly shared: SharedState,
    private readonly options: { enabled: boolean; cacheMs: number } = { enabled: true, cacheMs: 30_000 },
  ) {
    this.repeats = new RepeatTracker(shared);
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** The cached setup while it is fresh: no await on the hot path. */
  private cached(appId: string): AppScreening | undefined {
    const entry = this.apps.get(appId);
    return entry && this.clock().getTime() - entry.loadedAt < this.options.cacheMs ? entry : undefined;
  }

  async forApp(appId: string): Promise<AppScreening> {
    const cached = this.cached(appId);
    if (cached) return cached;
    const app = await this.store.apps.get(appId);
    const stored = await this.store.screening.getPolicy(appId);
    let policy = DEFAULT_POLICY;
    if (stored !== undefined) {
      try {
        policy = validatePolicy(stored);
      } catch (err) {
        // Stored policies were validated when set; one that no longer validates (a detector
        // renamed in an upgrade) falls back to the default rather than screening nothing.
        this.log.error({ err, appId }, 'stored screening policy is not valid; using the default');
      }
    }
    const hipaaBaa = app?.settings.hipaaBaa === true;
    const entry: AppScreening = {
      policy,
      compiled: compilePolicy(policy, { hipaaBaa }),
      context: { appDomains: app ? appDomains(app) : [], ...(app ? { appName: app.name } : {}) },
      hipaaBaa,
      loadedAt: this.clock().getTime(),
    };
    if (this.apps.size > 10_000) this.apps.clear();
    this.apps.set(appId, entry);
    return entry;
  }

  /**
   * Drops the cached setup after the app's policy or settings changed, here and (through the
   * listeners: the other nodes) everywhere. A node that misses the news reloads within `cacheMs`.
   */
  invalidate(appId: string): void {
    this.apps.delete(appId);
    for (const listener of this.invalidated) listener(appId);
  }

  /** Drops this node's cached setup only: another node changed the app. */
  dropCached(appId: string): void {
    this.apps.delete(appId);
  }

  onInvalidate(listener: (appId: string) => void): void {
    this.invalidated.push(listener);
  }

  /** Screens one text. Throws `policy_blocked` when a rule blocks it; else what to store. */
  async screen(request: ScreenRequest): Promise<Screened> {
    if (!this.options.enabled || request.text === '') return { text: request.text };
    const app = this.cached(request.appId) ?? (await this.forApp(request.appId));
    // Written whole, in one shape, as it is made for every message.
    const context: ScreenContext = {
      // The app's bot writes on the agents' side.
      role: request.sender.type === 'visitor' ? 'visitor' : 'agent',
      appDomains: app.context.appDomains,
      appName: app.context.appName,
      senderName: request.sender.name || undefined,
    };
    const input = new ScreenInput(request.text, context);
    const extra: Finding[] = [];
    // Agents send the same canned answers everywhere; visitors who do are spamming.
    if (
      request.sender.type === 'visitor' &&
      request.conversationKey &&
      app.compiled.rulesByDetector.has('repeated_text') &&
      (await this.repeats.record(request.appId, input, request.conversationKey))
    ) {
      extra.push(repeatFinding());
    }
    return this.conclude(request, screenInput(input, app.compiled, extra));
  }

  /** Applies findings made outside the text detectors (files): same rules, same records. */
  async judge(request: ScreenRequest, findings: Finding[]): Promise<Screened> {
    if (!this.options.enabled || findings.length === 0) return { text: request.text };
    const app = await this.forApp(request.appId);
    return this.conclude(request, applyRules(request.text, findings, app.compiled));
  }

  /**
   * A burst beyond the rate limit: recorded once a minute per sender (across the cluster) as a
   * flooding verdict.
   */
  async recordFlooding(appId: string, sender: { type: AuthorType; id: string }): Promise<void> {
    if (!this.options.enabled) return;
    if (!(await this.shared.claim(`flooding:${appId}:${sender.type}:${sender.id}`, 60_000))) return;
    await this.record({ appId, surface: 'rate', sender, text: '' }, 'block', ['flooding'], ['flooding.burst']);
  }

  private async conclude(request: ScreenRequest, verdict: Verdict): Promise<Screened> {
    if (verdict.action === 'allow') return { text: request.text };
    const { categories, rules } = summary(verdict);
    await this.record(request, verdict.action, categories, rules);
    const blocking = blockingRule(verdict);
    if (blocking) {
      const where = request.field ? `${request.field}: ` : '';
      throw new ParleyError('policy_blocked', `${where}${blocking.clause.reason}`, {
        refusal: {
          rule: blocking.rule,
          category: blocking.category,
          clause: blocking.clause,
          reason: blocking.clause.reason,
        },
        ...(request.field ? { fields: { [request.field]: blocking.clause.reason } } : {}),
      });
    }
    const screening = messageScreening(verdict);
    return { text: verdict.text ?? request.text, ...(screening ? { screening } : {}) };
  }

  private async record(
    request: Pick<ScreenRequest, 'appId' | 'surface' | 'sender' | 'text' | 'content'>,
    action: VerdictRecord['action'] | 'allow',
    categories: string[],
    rules: string[],
  ): Promise<void> {
    if (action === 'allow') return;
    try {
      await this.store.screening.recordVerdict({
        id: newId('vrd'),
        appId: request.appId,
        surface: request.surface,
        sender: { type: request.sender.type, id: request.sender.id },
        action,
        categories,
        rules,
        contentHash: createHash('sha256')
          .update(request.content ?? request.text)
          .digest('hex'),
        createdAt: this.clock().toISOString(),
      });
    } catch (err) {
      // The audit record must not decide whether a person's message goes through.
      this.log.error({ err }, 'could not record a screening verdict');
    }
  }
}
