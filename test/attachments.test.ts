import { ATTACHMENT_LIMITS } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gradientPng } from './support/png.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

describe.each(STORE_KITS)('attachments on $name', (kit) => {
  let parley: Parley;
  beforeEach(async () => {
    parley = await startParley(kit);
  });
  afterEach(() => parley.close());

  const upload = (token: string, body: Buffer, name = 'file.bin', origin = TEST_ORIGIN) =>
    fetch(`${parley.url}/v1/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Visitor ${token}`,
        'content-type': 'application/octet-stream',
        'x-filename': name,
        origin,
      },
      body: new Uint8Array(body),
    });

  it('detects the type from the content and refuses executables whatever their name', async () => {
    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
    const refused = await upload(visitorToken, elf, 'holiday.png');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      code: 'policy_blocked',
      rule: 'malware.executable',
      category: 'malware',
    });
    const unknown = await upload(visitorToken, Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]), 'data.bin');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'invalid_payload' });

    const log = await upload(
      visitorToken,
      Buffer.from('2026-11-22 ERROR export failed\n'),
      encodeURIComponent('../../etc/app.log'),
    );
    expect(log.status).toBe(201);
    expect(await log.json()).toMatchObject({ attachment: { name: 'app.log', contentType: 'text/plain' } });

    const png = await upload(visitorToken, gradientPng(4, 4), 'logo.txt');
    expect(await png.json()).toMatchObject({ attachment: { contentType: 'image/png' } });
  });

  it('refuses a file over the size limit with payload_too_large, and uploads from a foreign origin', async () => {
    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const big = await upload(visitorToken, Buffer.alloc(ATTACHMENT_LIMITS.maxBytes + 1, 0x61));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
    const foreign = await upload(visitorToken, Buffer.from('hello'), 'a.txt', 'https://evil.test');
    expect(foreign.status).toBe(403);
    const forged = await upload('not-a-token', Buffer.from('hello'));
    expect(forged.status).toBe(401);
  });

  it("sends only one's own unsent files, and the message carries them", async () => {
    const owner = parley.visitor();
    const first = await owner.send('here comes a file');
    const attachment = await owner.upload(new Blob([new Uint8Array(gradientPng(8, 8))]), 'chart.png');

    const other = parley.visitor();
    await other.ready();
    await expect(other.send('stealing', { attachmentIds: [attachment.id] })).rejects.toMatchObject({
      code: 'invalid_payload',
    });

    const sent = await owner.send('', { conversationId: first.conversationId, attachmentIds: [attachment.id] });
    expect(sent.attachments).toEqual([attachment]);
    await expect(
      owner.send('again', { conversationId: first.conversationId, attachmentIds: [attachment.id] }),
    ).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    const download = await fetch(new URL(attachment.path, parley.url));
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(gradientPng(8, 8));
  });
});
