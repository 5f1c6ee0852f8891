import type { Message } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zip } from '../packages/server/test/screening/zip.js';
import { nextEvent } from './support/events.js';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley, TEST_ORIGIN } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

interface UploadAnswer {
  code?: string;
  rule?: string;
  category?: string;
  attachment?: { path: string };
}

describe.each(STORE_KITS)('screening before storing, on $name', (kit) => {
  let parley: Parley;
  let now = Date.parse('2026-11-22T10:00:00Z');
  const sockets: { close(): void }[] = [];
  const tokens = new Map<unknown, string>();
  beforeEach(async () => {
    now = Date.parse('2026-11-22T10:00:00Z');
    parley = await startParley(kit, { clock: () => new Date(now) });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await parley.close();
  });

  /** A visitor without the sdk, so nothing is redacted before the server sees it. */
  const rawVisitor = async (auth: object = {}) => {
    const s = rawSocket(parley.url, '/visitor', { appId: parley.app.id, ...auth });
    sockets.push(s);
    const outcome = await handshake(s);
    if (!outcome.connected) throw new Error(`handshake refused: ${outcome.message}`);
    tokens.set(s, outcome.session.visitorToken as string);
    return s;
  };
  const send = (s: ReturnType<typeof rawSocket>, text: string, extra: object = {}) =>
    s.emitWithAck('message:send', { clientId: `c-${Math.random()}`, text, ...extra });
  const asAdmin = (path: string, init: RequestInit = {}) =>
    fetch(`${parley.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${parley.app.agentToken}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  /** Every message text the store holds for the app, read back through the store. */
  const storedTexts = async () => {
    const texts: string[] = [];
    for (const c of await parley.store.conversations.listForApp(parley.app.id, { limit: 100 })) {
      texts.push(...(await parley.store.messages.before(c.id, undefined, 200)).messages.map((m) => m.text));
    }
    return texts;
  };
  const verdicts = async () =>
    ((await (await asAdmin('/v1/screening/verdicts')).json()) as { verdicts: Record<string, unknown>[] }).verdicts;

  it('redacts a card number before it is stored or delivered, and says what was removed and why', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = await rawVisitor();
    const delivered = nextEvent(agent, 'message');
    const ack = await send(visitor, 'my card is 4242 4242 4242 4242, why was I charged twice?');
    expect(ack).toMatchObject({
      ok: true,
      message: {
        text: 'my card is [card ••••4242], why was I charged twice?',
        screening: {
          action: 'redact',
          notes: [
            {
              rule: 'financial.card',
              category: 'financial',
              action: 'redact',
              replacements: ['[card ••••4242]'],
              clause: {
                document: expect.stringMatching(/Kustomer/),
                ref: expect.any(String),
                reason: expect.any(String),
              },
            },
          ],
        },
      },
    });
    expect((await delivered).text).toBe('my card is [card ••••4242], why was I charged twice?');
    expect((await storedTexts()).join('\n')).not.toMatch(/4242 4242 4242 4242|4242424242424242/);
    const [verdict] = await verdicts();
    expect(verdict).toMatchObject({ surface: 'message', action: 'redact', categories: ['financial'] });
    expect(verdict?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(verdict)).not.toContain('4242');
  });

  it('blocks a threat: nothing stored, the sender told the rule, clause and reason, the verdict kept without it', async () => {
    const visitor = await rawVisitor();
    const ack = await send(visitor, 'I will find you and hurt you');
    expect(ack).toEqual({
      ok: false,
      error: {
        code: 'policy_blocked',
        message: expect.any(String),
        rule: 'threat.violence',
        category: 'threat',
        clause: {
          document: expect.stringMatching(/Customer Connect/),
          ref: expect.stringMatching(/2\.2/),
          reason: expect.any(String),
        },
        reason: expect.any(String),
      },
    });
    expect(await storedTexts()).toEqual([]);
    expect(await visitor.emitWithAck('conversation:list', {})).toMatchObject({ ok: true, conversations: [] });
    const [verdict] = await verdicts();
    expect(verdict).toMatchObject({ action: 'block', rules: ['threat.violence'], sender: { type: 'visitor' } });
    expect(JSON.stringify(verdict)).not.toContain('hurt');
  });

  it('delivers flagged messages marked for review, and screens agents and impersonating names', async () => {
    const agent = parley.agent();
    await agent.ready();
    const visitor = await rawVisitor({ user: { id: 'u1', name: 'Ѕupport Team' } });
    const flagged = nextEvent(agent, 'message');
    const ack = (await send(visitor, 'this damn export is broken')) as { ok: true; message: Message };
    expect(ack.message.screening?.action).toBe('flag');
    const seen = await flagged;
    expect(seen.screening?.notes.map((n) => n.rule).sort()).toEqual(['impersonation.staff', 'profanity.word']);

    const reply = await agent.send(ack.message.conversationId, 'I see the card 5555 5555 5555 4444 on your account');
    expect(reply.text).toBe('I see the card [card ••••4444] on your account');
    expect(reply.screening?.notes[0]?.rule).toBe('financial.card');
  });

  it('lets an admin replace or adjust the policy, refuses an invalid one with reasons and keeps the old', async () => {
    const visitor = await rawVisitor();
    const refused = await asAdmin('/v1/app/policy', {
      method: 'PUT',
      body: JSON.stringify({ version: '1', name: 'bad', rules: [{ id: 'x', detector: 'nope' }] }),
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { code: string; fields: Record<string, string> };
    expect(body.code).toBe('invalid_payload');
    expect(Object.keys(body.fields)).toEqual(
      expect.arrayContaining(['rules.0.detector', 'rules.0.action', 'rules.0.category', 'rules.0.clause']),
    );
    expect(await (await asAdmin('/v1/app/policy')).json()).toMatchObject({ default: true });

    const lenient = {
      version: 'shop-2',
      name: 'Shop: profanity allowed',
      extends: 'default',
      rules: [
        {
          id: 'profanity.word',
          detector: 'profanity',
          action: 'allow',
          category: 'profanity',
          clause: { document: 'Shop house rules', ref: '§4', reason: 'Our customers swear; we do not mind.' },
        },
      ],
    };
    expect((await asAdmin('/v1/app/policy', { method: 'PUT', body: JSON.stringify(lenient) })).status).toBe(200);
    const ack = (await send(visitor, 'this damn export')) as { ok: true; message: Message };
    expect(ack.message.screening).toBeUndefined();
    expect(((await send(visitor, 'I will kill you')) as { ok: false }).ok).toBe(false);

    expect((await asAdmin('/v1/app/policy', { method: 'DELETE' })).status).toBe(200);
    const again = (await send(visitor, 'this damn export')) as { ok: true; message: Message };
    expect(again.message.screening?.action).toBe('flag');
  });

  it("applies a policy changed on another node once that node's cache expires", async () => {
    const other = await startParley(kit, { store: parley.store, clock: () => new Date(now) });
    try {
      const s = rawSocket(other.url, '/visitor', { appId: parley.app.id });
      sockets.push(s);
      expect((await handshake(s)).connected).toBe(true);
      const flagged = async (text: string) =>
        ((await send(s, text)) as { ok: true; message: Message }).message.screening?.action === 'flag';
      expect(await flagged('this damn export')).toBe(true);
      const lenient = {
        version: 'shop-3',
        name: 'Shop',
        extends: 'default',
        rules: [
          {
            id: 'profanity.word',
            detector: 'profanity',
            action: 'allow',
            category: 'profanity',
            clause: { document: 'Shop rules', ref: '§4', reason: 'Swearing is fine.' },
          },
        ],
      };
      expect((await asAdmin('/v1/app/policy', { method: 'PUT', body: JSON.stringify(lenient) })).status).toBe(200);
      // The other node still holds the policy it loaded, for at most its cache time.
      expect(await flagged('this damn import')).toBe(true);
      now += 31_000;
      expect(await flagged('this damn report')).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('allows health information once the app has a Business Associate Agreement', async () => {
    const visitor = await rawVisitor();
    const text = 'my husband was diagnosed with cancer, MRN: 00482913';
    const before = (await send(visitor, text)) as { ok: true; message: Message };
    expect(before.message.text).toBe('my husband was diagnosed with cancer, MRN: [medical record]');
    const patch = await asAdmin('/v1/app', { method: 'PATCH', body: JSON.stringify({ hipaaBaa: true }) });
    expect(patch.status).toBe(200);
    const after = (await send(visitor, text)) as { ok: true; message: Message };
    expect(after.message).toMatchObject({ text });
    expect(after.message.screening).toBeUndefined();
  });

  it('blocks the same long text sent to many conversations, not a visitor repeating themselves', async () => {
    const spam = 'Get 50% off every SEO package this week only at our agency, reply now!';
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await send(await rawVisitor(), spam));
    expect(acks.map((a) => a.ok)).toEqual([true, true, true, true, false]);
    expect(acks[4]).toMatchObject({ error: { code: 'policy_blocked', rule: 'spam.repeated' } });
  });

  it('records a burst beyond the rate limit as flooding', async () => {
    const visitor = await rawVisitor();
    const answers = await Promise.all(Array.from({ length: 35 }, (_, i) => send(visitor, `message ${i}`)));
    expect(answers.filter((a) => !a.ok)[0]).toMatchObject({ error: { code: 'rate_limited' } });
    const list = await verdicts();
    expect(list).toEqual([expect.objectContaining({ surface: 'rate', categories: ['flooding'], action: 'block' })]);
  });

  it('screens attachments by content: programs, EICAR, macros, archives, and redacts logs', async () => {
    const visitor = await rawVisitor();
    const visitorToken = tokens.get(visitor);
    const upload = async (name: string, body: Buffer) => {
      const response = await fetch(`${parley.url}/v1/attachments`, {
        method: 'POST',
        headers: {
          authorization: `Visitor ${visitorToken}`,
          'content-type': 'application/octet-stream',
          'x-filename': name,
          origin: TEST_ORIGIN,
        },
        body: new Uint8Array(body),
      });
      return { status: response.status, body: (await response.json()) as UploadAnswer };
    };
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    expect(await upload('invoice.pdf', exe)).toMatchObject({
      status: 422,
      body: { code: 'policy_blocked', rule: 'malware.executable', category: 'malware' },
    });
    expect((await upload('readme.txt', Buffer.from(EICAR))).body.rule).toBe('malware.eicar');
    expect((await upload('run.txt', Buffer.from('#!/bin/sh\necho hi\n'))).body.rule).toBe('malware.script');
    const docm = zip([
      ['word/document.xml', Buffer.from('<w/>')],
      ['word/vbaProject.bin', Buffer.from('VBA')],
    ]);
    expect((await upload('report.zip', docm)).body.rule).toBe('malware.macro');
    const hidden = zip([['docs/tool.pdf', exe]]);
    expect((await upload('docs.zip', hidden)).body.rule).toBe('malware.executable');
    const deep = zip([['a.zip', zip([['b.zip', zip([['c.txt', Buffer.from('hi')]])]])]]);
    expect((await upload('deep.zip', deep)).body.rule).toBe('malware.archive');
    const fine = await upload('logs.zip', zip([['app.log', Buffer.from('2026-11-22 ok\n')]]));
    expect(fine.status).toBe(201);

    const log = await upload('app.log', Buffer.from('10:01 charge failed for card 4111 1111 1111 1111\n'));
    expect(log.status).toBe(201);
    const file = await fetch(`${parley.url}${log.body.attachment?.path}`);
    expect(await file.text()).toBe('10:01 charge failed for card [card ••••1111]\n');
  });

  it('blocks a report whose field breaks the policy, naming the field, and stores none of it', async () => {
    const visitor = parley.visitor();
    await visitor.ready();
    await expect(
      visitor.reportIncident({
        area: 'Checkout',
        details: 'fix it or I will kill you',
        impact: { usersAffected: 'one', platformState: 'working', workaround: true },
        startedAt: '2026-11-22T09:00:00Z',
        context: null,
      }),
    ).rejects.toMatchObject({ code: 'policy_blocked', fields: { details: expect.any(String) } });
    expect(await visitor.conversations()).toEqual([]);
  });
});
