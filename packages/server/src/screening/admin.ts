import { ParleyError } from '../errors.js';
import type { Store } from '../store/index.js';
import { DEFAULT_POLICY, type Policy, PolicyError, validatePolicy } from './policy.js';

/** A refused policy as the wire says it: `invalid_payload`, one field per reason. */
export function policyRefused(err: PolicyError): ParleyError {
  const fields: Record<string, string> = {};
  for (const reason of err.reasons) {
    const at = reason.indexOf(': ');
    const key = at === -1 ? '(policy)' : reason.slice(0, at);
    fields[key] = fields[key] ? `${fields[key]}; ${reason.slice(at + 2)}` : reason.slice(at + 2);
  }
  return new ParleyError('invalid_payload', err.message, { fields });
}

/** The app's policy document, and whether it is the default. */
export async function appPolicy(store: Store, appId: string): Promise<{ policy: Policy; isDefault: boolean }> {
  const stored = await store.screening.getPolicy(appId);
  return stored === undefined
    ? { policy: DEFAULT_POLICY, isDefault: true }
    : { policy: stored as Policy, isDefault: false };
}

/**
 * Replaces an app's policy (null: back to the default). A document that does not validate is
 * refused with every reason and the policy in force stays as it was.
 */
export async function setAppPolicy(
  store: Store,
  appId: string,
  document: unknown | null,
  now: string,
): Promise<Policy> {
  if (!(await store.apps.get(appId))) throw new ParleyError('not_found', `app ${appId} not found`);
  if (document === null) {
    await store.screening.setPolicy(appId, null, now);
    return DEFAULT_POLICY;
  }
  let policy: Policy;
  try {
    policy = validatePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) throw policyRefused(err);
    throw err;
  }
  await store.screening.setPolicy(appId, policy, now);
  return policy;
}
