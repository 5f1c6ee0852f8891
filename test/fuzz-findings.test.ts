import net from 'node:net';
import { ATTACHMENT_LIMITS, LIMITS } from '@parley/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handshake, rawSocket } from './support/raw-socket.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

const NUL = '\u0000';
const LONE = '\uD800';

/** Sends raw bytes over one HTTP/1.1 connection and resolves with the status and body. */
function rawHttp(url: string, request: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let data = '';
    socket.on('data', (d) => {
      data += d.toString();
      const head = data.indexOf('\r\n\r\n');
      if (head === -1) return;
      const length = /content-length: (\d+)/i.exec(data.slice(0, head));
      const body = data.slice(head + 4);
      if (length && Buffer.byteLength(body) >= Number(length[1])) {
        socket.destroy();
        resolve({ status: Number(data.slice(9, 12)), body });
      }
    });
    socket.on('error', reject);
  });
}

// Findings of fuzzing the documented protocol and API: each input gets the same clear answer
// on both stores, and nothing is stored of it.
describe.each(STORE_KITS)('fuzzed input on $name', (kit) => {
  let parley: Parley;
  const sockets: { close(): void }[] = [];
  beforeEach(async () => {
    parley = await startParley(kit);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await parley.close();
  });
  const connect = async (auth: object = { appId: parley.app.id }) => {
    const s = rawSocket(parley.url, '/visitor', auth);
    sockets.push(s);
    return { socket: s, outcome: await handshake(s) };
  };
  const invalid = (field: string) => ({
    ok: false,
    error: { code: 'invalid_payload', fields: { [field]: expect.stringMatching(/U\+0000/) } },
  });

  it('refuses U+0000 and unpaired surrogates with invalid_payload wherever they appear', async () => {
    expect((await connect({ appId: `app${NUL}` })).outcome).toMatchObject({
      connected: false,
      data: { code: 'invalid_payload', fields: { appId: expect.any(String) } },
    });
    expect((await connect({ appId: parley.app.id, user: { id: 'u1', name: `Ana${NUL}` } })).outcome).toMatchObject({
      connected: false,
      data: { code: 'invalid_payload', fields: { 'user.name': expect.any(String) } },
    });

    const { socket } = await connect();
    expect(await socket.emitWithAck('message:send', { clientId: 'a', text: `hi${NUL}` })).toMatchObject(
      invalid('text'),
    );
    expect(await socket.emitWithAck('message:send', { clientId: 'a', text: `hi ${LONE} there` })).toMatchObject(
      invalid('text'),
    );
    expect(await socket.emitWithAck('message:send', { clientId: `a${NUL}`, text: 'hi' })).toMatchObject(
      invalid('clientId'),
    );
    expect(
      await socket.emitWithAck('message:send', { clientId: 'b', conversationId: `cnv${NUL}`, text: 'hi' }),
    ).toMatchObject(invalid('conversationId'));
    expect(await socket.emitWithAck('visitor:update', { name: `Ana${NUL}` })).toMatchObject(invalid('name'));
    expect(await socket.emitWithAck('visitor:update', { attributes: { [`plan${NUL}`]: 'pro' } })).toMatchObject(
      invalid('attributes.(key)'),
    );
    expect(await socket.emitWithAck('message:history', { conversationId: NUL })).toMatchObject(
      invalid('conversationId'),
    );
    expect((await socket.emitWithAck('conversation:list', {})).conversations).toEqual([]);

    const http = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${parley.url}${path}`, init);
      return { status: response.status, body: await response.json() };
    };
    const refusedHttp = { status: 400, body: { code: 'invalid_payload', detail: expect.any(String) } };
    expect(await http('/v1/apps/%00/widget')).toMatchObject(refusedHttp);
    expect(await http('/v1/attachments/%00/x')).toMatchObject(refusedHttp);
    expect(
      await http('/v1/conversations/%00', { headers: { authorization: `Bearer ${parley.app.agentToken}` } }),
    ).toMatchObject(refusedHttp);
    expect(
      await http('/v1/agents/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `a${NUL}@b.c`, password: 'x' }),
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'invalid_payload', fields: { email: expect.any(String) } },
    });

    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const report = await http('/v1/incidents', {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'r1',
        area: 'Checkout',
        impact: { usersAffected: 'one', platformState: 'working', workaround: true },
        startedAt: new Date().toISOString(),
        steps: ['Open the cart', `Press ${LONE}Pay`],
        errorMessage: '',
      }),
    });
    expect(report).toMatchObject({
      status: 400,
      body: { code: 'invalid_payload', fields: { 'steps.1': expect.any(String) } },
    });
    expect(await visitor.conversations()).toEqual([]);
  });

  it('bounds afterSeq and beforeSeq to what the store can hold', async () => {
    const { socket } = await connect();
    const sent = await socket.emitWithAck('message:send', { clientId: 'one', text: 'hello' });
    const conversationId = sent.message.conversationId as string;
    expect(await socket.emitWithAck('message:sync', { conversationId, afterSeq: 2 ** 31 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', fields: { afterSeq: expect.any(String) } },
    });
    expect(await socket.emitWithAck('message:history', { conversationId, beforeSeq: 2 ** 40 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', fields: { beforeSeq: expect.any(String) } },
    });
    expect(await socket.emitWithAck('message:sync', { conversationId, afterSeq: LIMITS.seqMax })).toMatchObject({
      ok: true,
      messages: [],
    });
    const rest = await fetch(`${parley.url}/v1/conversations/${conversationId}/messages?afterSeq=2147483648`, {
      headers: { authorization: `Bearer ${parley.app.agentToken}` },
    });
    expect(rest.status).toBe(400);
    expect(await rest.json()).toMatchObject({
      code: 'invalid_payload',
      fields: { afterSeq: expect.any(String) },
    });
  });

  it('answers an event whose acknowledgement is not the second argument', async () => {
    const { socket } = await connect();
    expect(await socket.emitWithAck('conversation:list')).toMatchObject({ ok: true, conversations: [] });
    expect(await socket.timeout(5000).emitWithAck('conversation:list', {}, 'extra')).toMatchObject({
      ok: true,
      conversations: [],
    });
    expect(await socket.emitWithAck('message:send')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('counts text limits in UTF-16 code units, as documented and as the sdk does', async () => {
    const { socket } = await connect();
    const emoji = '😀'; // two code units
    const tooLong = await socket.emitWithAck('message:send', {
      clientId: 'emoji-1',
      text: emoji.repeat(LIMITS.messageMaxChars),
    });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large', fields: { text: expect.any(String) } },
    });
    const fits = await socket.emitWithAck('message:send', {
      clientId: 'emoji-2',
      text: emoji.repeat(LIMITS.messageMaxChars / 2),
    });
    expect(fits).toMatchObject({ ok: true, message: { seq: 1 } });
    await expect(parley.visitor().send(emoji.repeat(LIMITS.messageMaxChars))).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('answers errors the web framework raises as the documented problem documents', async () => {
    // RFC 9457: type, title, status, detail, and Parley's stable code.
    const problem = (code: string, status: number) => ({
      type: `urn:parley:error:${code}`,
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    });
    const shape = {
      code: expect.any(String),
      detail: expect.any(String),
      type: expect.stringMatching(/^urn:parley:error:/),
    };
    const notFound = await fetch(`${parley.url}/v1/nothing-here`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await notFound.json()).toEqual(problem('not_found', 404));

    const longParam = await fetch(`${parley.url}/v1/apps/${'a'.repeat(500)}/widget`);
    expect(longParam.status).toBe(414);
    expect(await longParam.json()).toEqual(problem('payload_too_large', 414));

    const badEncoding = await rawHttp(parley.url, 'GET /v1/apps/%E0%A4%A/widget HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(badEncoding.status).toBe(400);
    expect(JSON.parse(badEncoding.body)).toEqual(problem('invalid_payload', 400));

    const hugeHeader = await rawHttp(
      parley.url,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(hugeHeader.status).toBe(431);
    expect(JSON.parse(hugeHeader.body)).toMatchObject(shape);

    const garbage = await rawHttp(parley.url, 'THIS IS NOT HTTP\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toEqual(problem('invalid_payload', 400));

    const badJson = await fetch(`${parley.url}/v1/agents/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(await badJson.json()).toEqual(problem('invalid_payload', 400));
  });

  it('checks who uploads, and how often, before reading a byte of the body', async () => {
    // Headers of a 9 MB upload without credentials, and no body at all: the answer must come
    // without the server waiting for (and buffering) the file.
    const unauthenticated = await rawHttp(
      parley.url,
      'POST /v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 9000000\r\n\r\n',
    );
    expect(unauthenticated.status).toBe(401);
    expect(JSON.parse(unauthenticated.body)).toMatchObject({ code: 'unauthorized' });

    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const declaredTooBig = await rawHttp(
      parley.url,
      `POST /v1/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Visitor ${visitorToken}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${ATTACHMENT_LIMITS.maxBytes + 1}\r\n\r\n`,
    );
    expect(declaredTooBig.status).toBe(413);
    expect(JSON.parse(declaredTooBig.body)).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers every upload over 10 MB with a 413 the client can read, whether it declares its length or streams', async () => {
    const visitor = parley.visitor();
    const { visitorToken } = await visitor.ready();
    const headers = { authorization: `Visitor ${visitorToken}`, 'content-type': 'application/octet-stream' };
    const streamed = (megabytes: number) => {
      const chunk = new Uint8Array(1024 * 1024);
      let sent = 0;
      return new ReadableStream({
        pull(controller) {
          if (sent++ < megabytes) controller.enqueue(chunk);
          else controller.close();
        },
      });
    };
    const answers: string[] = [];
    for (const megabytes of [11, 30, 30, 30, 30]) {
      for (const body of [new Uint8Array(megabytes * 1024 * 1024), streamed(megabytes)]) {
        // Streaming a body needs duplex: 'half' (Node's fetch), which RequestInit does not type.
        const init = { method: 'POST', headers, body, duplex: 'half' } as RequestInit;
        const response = await fetch(`${parley.url}/v1/attachments`, init).catch((err: Error) => err);
        answers.push(
          response instanceof Error
            ? `${megabytes} MB: ${String(response.cause ?? response)}`
            : `${megabytes} MB: ${response.status} ${((await response.json()) as { code: string }).code}`,
        );
      }
    }
    expect(answers).toEqual(answers.map((a) => `${a.split(':')[0]}: 413 payload_too_large`));
  });
});
