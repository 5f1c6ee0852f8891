import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { AppRecord, Store } from '../store/index.js';

/** Conversations idle this long are deleted unless the app says otherwise (privacy statement: 90 days). */
export const DEFAULT_RETENTION_DAYS = 90;

/** How long screening verdicts and the audit trail are kept, whatever the apps say. */
export interface RetentionSettings {
  verdictDays: number;
  auditDays: number;
  /** Conversations per transaction. */
  batch: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { verdictDays: 180, auditDays: 730, batch: 200 };

const DAY_MS = 86_400_000;

/** An app's retention in days; 0 keeps its conversations forever. */
export function retentionDays(app: AppRecord): number {
  const days = Number(app.settings.retentionDays ?? DEFAULT_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 0 ? days : DEFAULT_RETENTION_DAYS;
}

export interface PurgeSummary {
  /** Per app that had anything to purge. */
  apps: Record<string, { conversations: number; contacts: number; rows: Record<string, number> }>;
  verdicts: number;
  auditEntries: number;
  /** Another node held the purge (PostgreSQL): this one did nothing. */
  skipped: boolean;
}

/**
 * Deletes what is past retention: each app's idle conversations (and contacts left with none),
 * then old screening verdicts and audit entries. On PostgreSQL one node at a time does it (an
 * advisory lock); each app's purge is recorded in its audit trail, with counts only.
 */
export async function purgeExpired(
  store: Store,
  clock: Clock,
  settings: RetentionSettings = DEFAULT_RETENTION,
  actorId = 'retention',
): Promise<PurgeSummary> {
  const now = clock().getTime();
  const summary: PurgeSummary = { apps: {}, verdicts: 0, auditEntries: 0, skipped: false };
  for (const app of await store.apps.list()) {
    const days = retentionDays(app);
    if (days === 0) continue;
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    const total = { conversations: 0, contacts: 0, rows: {} as Record<string, number> };
    for (;;) {
      const round = await store.privacy.purge(app.id, cutoff, settings.batch);
      if (round === null) {
        summary.skipped = true;
        return summary;
      }
      total.conversations += round.conversations;
      total.contacts += round.contacts;
      for (const [table, n] of Object.entries(round.rows)) total.rows[table] = (total.rows[table] ?? 0) + n;
      if (round.conversations < settings.batch && round.contacts < settings.batch) break;
    }
    if (total.conversations + total.contacts === 0) continue;
    summary.apps[app.id] = total;
    await store.audit.record({
      id: newId('aud'),
      appId: app.id,
      actorType: 'system',
      actorId,
      action: 'retention.purged',
      objectType: 'app',
      objectId: app.id,
      detail: { retentionDays: days, conversations: total.conversations, contacts: total.contacts, rows: total.rows },
      createdAt: new Date(now).toISOString(),
    });
  }
  summary.verdicts = await store.screening.purgeVerdicts(new Date(now - settings.verdictDays * DAY_MS).toISOString());
  summary.auditEntries = await store.audit.purge(new Date(now - settings.auditDays * DAY_MS).toISOString());
  if (Object.keys(summary.apps).length > 0) await store.scrub();
  return summary;
}
