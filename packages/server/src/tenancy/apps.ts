import { randomBytes } from 'node:crypto';
import { REPLY_TIMES, type ReplyTime, TEAM_SHOWN } from '@parley/sdk/protocol';
import { validateOriginPattern } from '../auth/origins.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { Clock } from '../clock.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { AppRecord, Store } from '../store/index.js';

export interface NewApp {
  name: string;
  origins: string[];
  /**
   * Whether a host's user must be proven (userHash or userJwt) to open their conversations.
   * On unless turned off: without it, anyone can claim any user id.
   */
  identityVerification?: boolean;
  settings?: Record<string, unknown>;
}

/** Creates an app with a fresh identity-verification secret, returned once in plain text. */
export async function createApp(
  store: Store,
  box: SecretBox,
  input: NewApp,
  clock: Clock,
): Promise<{ app: AppRecord; identitySecret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new ParleyError('invalid_payload', 'an app needs a name of 1 to 200 characters');
  const problems = input.origins.map(validateOriginPattern).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new ParleyError('invalid_payload', problems.join('; '));
  const identitySecret = newIdentitySecret();
  const app: AppRecord = {
    id: newId('app'),
    name,
    allowedOrigins: input.origins,
    identityVerification: input.identityVerification ?? true,
    identitySecretEnc: box.seal(identitySecret),
    settings: input.settings ?? {},
    createdAt: clock().toISOString(),
  };
  await store.apps.create(app);
  return { app, identitySecret };
}

const newIdentitySecret = () => randomBytes(32).toString('hex');

/**
 * Replaces an app's identity-verification secret, returned once in plain text. Hashes and
 * tokens signed with the old one stop proving a user at once; visitor tokens already issued
 * stay valid.
 */
export async function rotateIdentitySecret(store: Store, box: SecretBox, appId: string): Promise<string> {
  if (!(await store.apps.get(appId))) throw new ParleyError('not_found', `app ${appId} not found`);
  const identitySecret = newIdentitySecret();
  await store.apps.update(appId, { identitySecretEnc: box.seal(identitySecret) });
  return identitySecret;
}

export interface AppChange {
  origins?: string[];
  identityVerification?: boolean;
  /**
   * Widget settings: greeting, accentColor (#rrggbb), position (left|right), launcherLabel,
   * replyTime (minutes|hours|day), team (up to three agent ids, comma-separated); and
   * retentionDays (conversations idle that long are deleted; 0 keeps them). Null clears one.
   */
  settings?: Record<string, string | null>;
  /** The company signed a Business Associate Agreement: health information is allowed. */
  hipaaBaa?: boolean;
}

const SETTING_RULES: Record<string, (v: string) => string | undefined> = {
  greeting: (v) => (v.length <= 500 ? undefined : 'greeting holds at most 500 characters'),
  accentColor: (v) => (/^#[0-9a-fA-F]{6}$/.test(v) ? undefined : 'accentColor is a hex colour like #4f46e5'),
  position: (v) => (v === 'left' || v === 'right' ? undefined : 'position is left or right'),
  launcherLabel: (v) => (v.length <= 40 ? undefined : 'launcherLabel holds at most 40 characters'),
  replyTime: (v) =>
    REPLY_TIMES.includes(v as ReplyTime) ? undefined : `replyTime is one of ${REPLY_TIMES.join(', ')}`,
  team: (v) =>
    /^(?:agt_[A-Za-z0-9_-]{1,64})(?:,agt_[A-Za-z0-9_-]{1,64}){0,2}$/.test(v)
      ? undefined
      : `team is up to ${TEAM_SHOWN} agent ids, separated by commas`,
  retentionDays: (v) =>
    /^\d{1,4}$/.test(v) && Number(v) <= 3650
      ? undefined
      : 'retentionDays is a whole number of days from 0 (keep forever) to 3650',
};

/** Changes an app's origins, identity verification or widget settings; validates everything first. */
export async function updateApp(store: Store, appId: string, change: AppChange): Promise<AppRecord> {
  const app = await store.apps.get(appId);
  if (!app) throw new ParleyError('not_found', `app ${appId} not found`);
  const problems: Record<string, string> = {};
  for (const origin of change.origins ?? []) {
    const problem = validateOriginPattern(origin);
    if (problem) problems.origins = problem;
  }
  const settings: Record<string, unknown> = { ...app.settings };
  for (const [key, value] of Object.entries(change.settings ?? {})) {
    const rule = SETTING_RULES[key];
    if (!rule) problems[key] = `unknown setting; known: ${Object.keys(SETTING_RULES).join(', ')}`;
    else if (value === null) delete settings[key];
    else {
      const problem = rule(value);
      if (problem) problems[key] = problem;
      else settings[key] = value;
    }
  }
  const team = change.settings?.team;
  if (typeof team === 'string' && !problems.team) {
    for (const id of team.split(',')) {
      if (!(await store.agents.get(appId, id))) problems.team = `no agent ${id} in this app`;
    }
  }
  if (Object.keys(problems).length > 0) {
    throw new ParleyError('invalid_payload', Object.values(problems).join('; '), { fields: problems });
  }
  if (change.hipaaBaa === true) settings.hipaaBaa = true;
  else if (change.hipaaBaa === false) delete settings.hipaaBaa;
  const next = {
    ...(change.origins?.length ? { allowedOrigins: change.origins } : {}),
    ...(change.identityVerification !== undefined ? { identityVerification: change.identityVerification } : {}),
    settings,
  };
  await store.apps.update(appId, next);
  return { ...app, ...next };
}
