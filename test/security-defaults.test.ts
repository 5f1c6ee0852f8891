import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, memoryStorage, type ParleyClientError } from '@parley/sdk';
import { userHashFor } from '@parley/server';
import { afterEach, describe, expect, it } from 'vitest';
import { capturedLogger } from './support/log-capture.js';
import { gradientPng } from './support/png.js';
import { bannerValue, startServerProcess } from './support/process.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function parleyOn(kit = STORE_KITS[0]!, options: Parameters<typeof startParley>[1] = {}): Promise<Parley> {
  const parley = await startParley(kit, options);
  cleanups.push(() => parley.close());
  return parley;
}

describe.each(STORE_KITS)('declared and verified users on $name', (kit) => {
  it("never opens an earlier session's history for a user id a page only declared", async () => {
    const parley = await parleyOn(kit);
    const inBrowserA = parley.visitor({ storage: memoryStorage(), user: { id: 'u-9', name: 'Nine' } });
    const first = await inBrowserA.send('my order is late');
    inBrowserA.close();

    // Anyone can declare u-9 on an app without identity verification: another browser gets
    // a visitor of its own, labelled u-9, and none of the first one's conversations.
    const inBrowserB = parley.visitor({ storage: memoryStorage(), user: { id: 'u-9' } });
    const session = await inBrowserB.ready();
    expect(session).toMatchObject({ identified: true, verified: false });
    expect(inBrowserB.visitorId).not.toBe(first.author.id);
    expect(await inBrowserB.conversations()).toEqual([]);
    await expect(inBrowserB.history(first.conversationId)).rejects.toMatchObject({ code: 'not_found' });

    // Agents see the label, and that it is unproven.
    const agent = parley.agent();
    const [conversation] = await agent.conversations();
    expect(conversation?.visitor).toMatchObject({ userId: 'u-9', verified: false, name: 'Nine' });
  });

  it('gives a proven user their conversations in any browser, marked verified', async () => {
    const parley = await parleyOn(kit);
    const app = await parley.newApp({ identityVerification: true });
    const user = { id: 'u-10' };
    const userHash = userHashFor(app.identitySecret, user.id);
    const a = parley.visitor({ appId: app.id, storage: memoryStorage(), user, userHash });
    const first = await a.send('hello');
    a.close();
    const b = parley.visitor({ appId: app.id, storage: memoryStorage(), user, userHash });
    expect(await b.ready()).toMatchObject({ identified: true, verified: true });
    expect((await b.conversations()).map((c) => c.id)).toEqual([first.conversationId]);
  });
});

describe('what the logs hold', () => {
  it('never logs the capability URL of an attachment, and logs refused handshakes without their token', async () => {
    const log = capturedLogger('info');
    const parley = await parleyOn(STORE_KITS[0]!, { logger: log.logger });
    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const attachment = await visitor.upload(new Blob([new Uint8Array(gradientPng(8, 8))]), 'secret-plan.png');
    expect((await fetch(`${parley.url}${attachment.path}`)).status).toBe(200);
    expect(log.text()).not.toContain(attachment.id);
    expect(log.text()).not.toContain('secret-plan');
    expect(log.lines().some((l) => (l.req as { url?: string } | undefined)?.url === '/v1/attachments/[redacted]')).toBe(
      true,
    );
    // Addresses are personal data: the log keeps them without their last octet, and no port.
    const requests = log.lines().filter((l) => l.req !== undefined);
    expect(requests.length).toBeGreaterThan(0);
    for (const l of requests) expect(l.req).toMatchObject({ remoteAddress: '127.0.0.0' });
    expect(log.text()).not.toContain('127.0.0.1"');
    expect(log.text()).not.toContain('remotePort');

    const refused = rawSocket(parley.url, '/visitor', { appId: 'app_nope', visitorToken });
    cleanups.push(() => refused.close());
    expect(await handshake(refused)).toMatchObject({ connected: false, data: { code: 'not_found' } });
    const line = log.lines().find((l) => String(l.msg).startsWith('refused a visitor connection'));
    expect(line).toMatchObject({ namespace: 'visitor', code: 'not_found', appId: 'app_nope', origin: TEST_ORIGIN });
    expect(log.text()).not.toContain(visitorToken);
  });

  it('warns once per app and origin when a page the app does not allow tries to connect', async () => {
    const log = capturedLogger('info');
    const parley = await parleyOn(STORE_KITS[0]!, { logger: log.logger });
    for (let i = 0; i < 3; i++) {
      const s = rawSocket(parley.url, '/visitor', { appId: parley.app.id }, 'https://evil.example');
      cleanups.push(() => s.close());
      expect(await handshake(s)).toMatchObject({ connected: false, data: { code: 'forbidden' } });
    }
    const warnings = log.lines().filter((l) => l.level === 40 && l.origin === 'https://evil.example');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ appId: parley.app.id, app: 'Test shop' });
  });

  it('prints the banner and the one-time credentials to the terminal, apart from the JSON log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-banner-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServerProcess({ PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    cleanups.push(() => server.stop('SIGKILL'));
    const password = bannerValue(server.output(), 'agent password');
    const token = bannerValue(server.output(), 'agent token');
    await fetch(`${server.url}/healthz`);
    await server.stop('SIGTERM');
    const lines = server.log().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(server.log()).not.toContain(password);
    expect(server.log()).not.toContain(token);
    expect(server.log()).toContain('"msg":"listening"');
  });
});

describe('the demo app and refused pages', () => {
  it("allows the server's own origin on the demo app wherever the server runs next", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startServerProcess({ PARLEY_DATA_DIR: dataDir });
    const appId = bannerValue(first.output(), 'app id');
    await first.stop('SIGTERM');
    // Restarted on another port (PORT=0 picks a new one), as after `PORT=3001 pnpm start`.
    const second = await startServerProcess({ PARLEY_DATA_DIR: dataDir });
    cleanups.push(() => second.stop('SIGKILL'));
    expect(second.url).not.toBe(first.url);
    const page = createClient({ url: second.url, appId, origin: new URL(second.url).origin, storage: memoryStorage() });
    cleanups.push(() => page.close());
    expect((await page.send('hello from /demo')).seq).toBe(1);
    // Another site still may not use the demo app.
    const other = rawSocket(second.url, '/visitor', { appId }, 'https://elsewhere.example');
    cleanups.push(() => other.close());
    expect(await handshake(other)).toMatchObject({ connected: false, data: { code: 'forbidden' } });
  });

  it('settles every sdk promise with the refusal when the handshake is refused', async () => {
    const parley = await parleyOn();
    const client = createClient({ url: parley.url, appId: parley.app.id, origin: 'https://evil.example' });
    cleanups.push(() => client.close());
    // Sent before the refusal arrives: queued, then rejected with it.
    const queued = client.send('hello?');
    await expect(queued).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client.ready()).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client.send('again?')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client.conversations()).rejects.toMatchObject({ code: 'forbidden' });
    expect(client.pending()).toEqual([]);

    const unknownApp = createClient({ url: parley.url, appId: 'app_missing', origin: TEST_ORIGIN });
    cleanups.push(() => unknownApp.close());
    const error = (await unknownApp.send('anyone?').catch((e: unknown) => e)) as ParleyClientError;
    expect(error.code).toBe('not_found');
  });
});
