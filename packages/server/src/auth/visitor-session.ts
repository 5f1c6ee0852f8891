import type { HostUser } from '@parley/sdk/protocol';
import type { Clock } from '../clock.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import type { AppRecord, Store, VisitorRecord } from '../store/index.js';
import { verifyUserHash, verifyUserJwt } from './identity.js';
import type { SecretBox } from './secret-box.js';
import type { VisitorTokens } from './tokens.js';

export interface VisitorHandshake {
  visitorToken?: string | undefined;
  user?: HostUser | undefined;
  userHash?: string | undefined;
  userJwt?: string | undefined;
}

export interface SessionDeps {
  store: Store;
  tokens: VisitorTokens;
  box: SecretBox;
  clock: Clock;
}

/** The host's user as this handshake establishes it: proven, or only declared by the page. */
interface NamedUser {
  user: HostUser;
  verified: boolean;
}

/**
 * Proves who the host says its user is. With identity verification on, a user must come with
 * a valid userHash or userJwt; a proof that is present is always checked, even when it is off.
 * Without proof (verification off) the user is only declared.
 */
function namedUser(app: AppRecord, box: SecretBox, auth: VisitorHandshake, now: Date): NamedUser | undefined {
  if (auth.userJwt !== undefined) {
    const result = verifyUserJwt(box.open(app.identitySecretEnc), auth.userJwt, now);
    if (!result.ok) throw new ParleyError('unauthorized', result.reason);
    if (auth.user && auth.user.id !== result.identity.id) {
      throw new ParleyError('unauthorized', 'user.id does not match the sub of userJwt');
    }
    return { user: { ...auth.user, ...result.identity }, verified: true };
  }
  if (!auth.user) return undefined;
  if (auth.userHash !== undefined) {
    if (!verifyUserHash(box.open(app.identitySecretEnc), auth.user.id, auth.userHash)) {
      throw new ParleyError('unauthorized', 'userHash does not match user.id');
    }
    return { user: auth.user, verified: true };
  }
  if (app.identityVerification) {
    throw new ParleyError(
      'unauthorized',
      'this app requires identity verification: send userHash or userJwt with user',
    );
  }
  return { user: auth.user, verified: false };
}

function newVisitor(appId: string, iso: string, user?: NamedUser): VisitorRecord {
  return {
    id: newId('vis'),
    appId,
    userId: user?.user.id ?? null,
    verified: user?.verified ?? false,
    email: user?.user.email ?? null,
    name: user?.user.name ?? null,
    attributes: {},
    device: null,
    createdAt: iso,
    lastSeenAt: iso,
  };
}

/**
 * Turns a handshake into the visitor it speaks for, and a fresh token for that visitor.
 *
 * - A token from another app, or one that fails its signature, is refused.
 * - A proven user always gets their own visitor, in any browser. If the token was an
 *   anonymous visitor's, that visitor's conversations move to the user (they were theirs).
 * - A user the page only declared (identity verification off) is a label on this browser's
 *   visitor: anyone can declare any id, so it never finds the visitor, or the history, of an
 *   earlier session elsewhere. Agents see it as unverified.
 * - A token of a visitor with a user (proven or declared) is only honoured with that same user:
 *   after a logout, a different user or an anonymous session in the same browser never sees
 *   their conversations.
 */
export async function resolveVisitor(
  deps: SessionDeps,
  app: AppRecord,
  auth: VisitorHandshake,
): Promise<{ visitor: VisitorRecord; visitorToken: string }> {
  const now = deps.clock();
  const iso = now.toISOString();
  const named = namedUser(app, deps.box, auth, now);

  let fromToken: VisitorRecord | undefined;
  if (auth.visitorToken !== undefined) {
    const claims = deps.tokens.verify(auth.visitorToken, now);
    if (!claims || claims.appId !== app.id) {
      throw new ParleyError('unauthorized', 'visitorToken is not valid for this app; drop it to start a new visitor', {
        fields: { visitorToken: 'invalid' },
      });
    }
    fromToken = await deps.store.visitors.get(app.id, claims.visitorId);
    // An erased visitor's token stops working at once (a proven user does not need it: they
    // reach their own visitor by their proof).
    if (!fromToken && !named?.verified) {
      throw new ParleyError('unauthorized', 'this visitor no longer exists; drop the visitorToken to start a new one', {
        fields: { visitorToken: 'invalid' },
      });
    }
  }

  let visitor: VisitorRecord;
  if (named?.verified) {
    visitor = await provenVisitor(deps, app, named.user, iso);
    if (fromToken && fromToken.userId === null && fromToken.id !== visitor.id) {
      await deps.store.visitors.merge(app.id, fromToken.id, visitor.id);
    }
  } else if (named) {
    const user = named.user;
    const same = fromToken && !fromToken.verified && (fromToken.userId === null || fromToken.userId === user.id);
    if (fromToken && same) {
      const email = user.email ?? fromToken.email;
      const name = user.name ?? fromToken.name;
      await deps.store.visitors.updateProfile(app.id, fromToken.id, {
        email,
        name,
        lastSeenAt: iso,
        declaredUserId: user.id,
      });
      visitor = { ...fromToken, userId: user.id, email, name, lastSeenAt: iso };
    } else {
      visitor = newVisitor(app.id, iso, named);
      await deps.store.visitors.create(visitor);
    }
  } else if (fromToken && fromToken.userId === null) {
    visitor = fromToken;
  } else {
    visitor = newVisitor(app.id, iso);
    await deps.store.visitors.create(visitor);
  }
  return { visitor, visitorToken: deps.tokens.sign({ appId: app.id, visitorId: visitor.id }, now) };
}

/** The one visitor of a proven user: found by their id, or created (once, even if raced). */
async function provenVisitor(deps: SessionDeps, app: AppRecord, user: HostUser, iso: string): Promise<VisitorRecord> {
  const existing = await deps.store.visitors.getByUserId(app.id, user.id);
  if (existing) {
    const email = user.email ?? existing.email;
    const name = user.name ?? existing.name;
    await deps.store.visitors.updateProfile(app.id, existing.id, { email, name, lastSeenAt: iso });
    return { ...existing, email, name, lastSeenAt: iso };
  }
  const visitor = newVisitor(app.id, iso, { user, verified: true });
  try {
    await deps.store.visitors.create(visitor);
    return visitor;
  } catch (err) {
    // Two tabs identifying the same new user at once: the other one created it.
    const raced = await deps.store.visitors.getByUserId(app.id, user.id);
    if (!raced) throw err;
    return raced;
  }
}
