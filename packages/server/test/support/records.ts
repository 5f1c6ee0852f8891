import type { AppRecord, VisitorRecord } from '../../src/store/types.js';

/** An app as the store tests create it: no origins, no identity verification. */
export function appRecord(id: string, at: string): AppRecord {
  return {
    id,
    name: 'app',
    allowedOrigins: [],
    identityVerification: false,
    identitySecretEnc: 'v1.x.y.z',
    settings: {},
    createdAt: at,
  };
}

/** An anonymous visitor (or an identified one, with `userId`) first and last seen `at`. */
export function visitorRecord(appId: string, id: string, at: string, userId: string | null = null): VisitorRecord {
  return {
    id,
    appId,
    userId,
    verified: userId !== null,
    email: null,
    name: null,
    attributes: {},
    createdAt: at,
    lastSeenAt: at,
    device: null,
  };
}
