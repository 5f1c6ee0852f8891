import { purgeExpired } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restFor } from './support/rest.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

describe.each(STORE_KITS)('retention on $name', (kit) => {
  let parley: Parley;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-06-01T09:00:00.000Z');
    parley = await startParley(kit, { clock: () => now, jobs: false });
  });
  afterEach(() => parley.close());

  const rest = restFor(() => parley);

  it('deletes exactly what is past retention, keeps what is newer, and records it', async () => {
    const carla = parley.visitor();
    const carlaOld = await carla.send('Carla asks something, long ago');
    const dan = parley.visitor();
    const danOld = await dan.send('Dan asks something, long ago');
    // Another app keeps everything (retention 0).
    const keeper = await parley.newApp({ settings: { retentionDays: '0' } });
    const kept = await parley.visitor({ appId: keeper.id }).send('Kept forever');

    now = new Date(now.getTime() + 60 * DAY);
    const danNew = await dan.send('Dan asks again, recently');
    now = new Date(now.getTime() + 31 * DAY); // the old ones: 91 days idle; the new one: 31

    const summary = (await parley.server.jobs.run('retention-purge')) as Json;
    expect(summary).toMatchObject({ skipped: false, apps: { [parley.app.id]: { conversations: 2, contacts: 1 } } });
    expect((await rest('GET', `/v1/conversations/${carlaOld.conversationId}`)).status).toBe(404);
    expect((await rest('GET', `/v1/conversations/${danOld.conversationId}`)).status).toBe(404);
    expect((await rest('GET', `/v1/conversations/${danNew.conversationId}`)).status).toBe(200);
    expect((await rest('GET', `/v1/contacts/${carla.visitorId}`)).status).toBe(404);
    expect((await rest('GET', `/v1/contacts/${dan.visitorId}`)).status).toBe(200);
    const messages = (await rest('GET', `/v1/conversations/${danNew.conversationId}/messages`)).body.messages as Json[];
    expect(messages.map((m) => m.text)).toEqual(['Dan asks again, recently']);
    expect((await rest('GET', `/v1/conversations/${kept.conversationId}`, undefined, keeper.agentToken)).status).toBe(
      200,
    );
    const trail = (await rest('GET', '/v1/audit?action=retention.purged')).body.entries as Json[];
    expect(trail).toEqual([
      expect.objectContaining({
        actorType: 'system',
        detail: expect.objectContaining({ retentionDays: 90, conversations: 2 }),
      }),
    ]);
    // Nothing more is due: a second run deletes nothing.
    expect(await parley.server.jobs.run('retention-purge')).toMatchObject({ apps: {} });
  });

  it('runs on two connections at once without conflict: everything purged once', async () => {
    const old = await parley.visitor().send('Old question');
    now = new Date(now.getTime() + 100 * DAY);
    const results = await Promise.all([purgeExpired(parley.store, () => now), purgeExpired(parley.store, () => now)]);
    const purged = results.reduce((n, r) => n + (r.apps[parley.app.id]?.conversations ?? 0), 0);
    expect(purged).toBe(1);
    expect((await rest('GET', `/v1/conversations/${old.conversationId}`)).status).toBe(404);
  });

  it('takes retentionDays as an app setting, whole days from 0 to 3650', async () => {
    expect((await rest('PATCH', '/v1/app', { settings: { retentionDays: '30' } })).status).toBe(200);
    const refused = await rest('PATCH', '/v1/app', { settings: { retentionDays: '-1' } });
    expect(refused).toMatchObject({ status: 400, body: { fields: { retentionDays: expect.any(String) } } });
    const app = (await rest('GET', '/v1/app')).body.app as Json;
    expect(app.settings).toMatchObject({ retentionDays: '30' });
  });
});
