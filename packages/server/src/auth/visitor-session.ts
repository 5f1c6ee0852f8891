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

/**
 * Proves who the host says its user is. With identity verification on, a user must come with
 * a valid userHash or userJwt; a proof that is present is always checked, even when it is off.
 */
function verifiedUser(app: AppRecord, box: SecretBox, auth: VisitorHandshake, now: Date): HostUser | undefined {
  if (auth.userJwt !== undefined) {
    const result = verifyUserJwt(box.open(app.identitySecretEnc), auth.userJwt, now);
    if (!result.ok) throw new ParleyError('unauthorized', result.reason);
    if (auth.user && auth.user.id !== result.identity.id) {
      throw new ParleyError('unauthorized', 'user.id does not match the sub of userJwt');
    }
    return { ...auth.user, ...result.identity };
  }
  if (!auth.user) return undefined;
  if (auth.userHash !== undefined) {
    if (!verifyUserHash(box.open(app.identitySecretEnc), auth.user.id, auth.userHash)) {
      throw new ParleyError('unauthorized', 'userHash does not match user.id');
    }
    return auth.user;
  }
  if (app.identityVerification) {
    throw new ParleyError(
      'unauthorized',
      'this app requires identity verification: send userHash or userJwt with user',
    );
  }
  return auth.user;
}

/**
 * Turns a handshake into the visitor it speaks for, and a fresh token for that visitor.
 *
 * - A token from another app, or one that fails its signature, is refused.
 * - An identified user always gets their own visitor. If the token was an anonymous visitor's,
 *   that visitor's conversations move to the identified user (they were this person's).
 * - A token of an identified visitor is only honoured with that same user: after a logout, a
 *   different user or an anonymous session in the same browser never sees their conversations.
 */
export async function resolveVisitor(
  deps: SessionDeps,
  app: AppRecord,
  auth: VisitorHandshake,
): Promise<{ visitor: VisitorRecord; visitorToken: string }> {
  const now = deps.clock();
  const iso = now.toISOString();
  const user = verifiedUser(app, deps.box, auth, now);

  let fromToken: VisitorRecord | undefined;
  if (auth.visitorToken !== undefined) {
    const claims = deps.tokens.verify(auth.visitorToken, now);
    if (!claims || claims.appId !== app.id) {
      throw new ParleyError('unauthorized', 'visitorToken is not valid for this app; drop it to start a new visitor', {
        fields: { visitorToken: 'invalid' },
      });
    }
    fromToken = await deps.store.getVisitor(app.id, claims.visitorId);
  }

  let visitor: VisitorRecord;
  if (user) {
    const existing = await deps.store.getVisitorByUserId(app.id, user.id);
    if (existing) {
      visitor = existing;
      const email = user.email ?? existing.email;
      const name = user.name ?? existing.name;
      await deps.store.updateVisitorProfile(app.id, existing.id, { email, name, lastSeenAt: iso });
      visitor = { ...existing, email, name, lastSeenAt: iso };
    } else {
      visitor = {
        id: newId('vis'),
        appId: app.id,
        userId: user.id,
        email: user.email ?? null,
        name: user.name ?? null,
        attributes: {},
        createdAt: iso,
        lastSeenAt: iso,
      };
      try {
        await deps.store.createVisitor(visitor);
      } catch (err) {
        // Two tabs identifying the same new user at once: the other one created it.
        const raced = await deps.store.getVisitorByUserId(app.id, user.id);
        if (!raced) throw err;
        visitor = raced;
      }
    }
    if (fromToken && fromToken.userId === null && fromToken.id !== visitor.id) {
      await deps.store.mergeVisitor(app.id, fromToken.id, visitor.id);
    }
  } else if (fromToken && fromToken.userId === null) {
    visitor = fromToken;
  } else {
    visitor = {
      id: newId('vis'),
      appId: app.id,
      userId: null,
      email: null,
      name: null,
      attributes: {},
      createdAt: iso,
      lastSeenAt: iso,
    };
    await deps.store.createVisitor(visitor);
  }
  return { visitor, visitorToken: deps.tokens.sign({ appId: app.id, visitorId: visitor.id }, now) };
}
