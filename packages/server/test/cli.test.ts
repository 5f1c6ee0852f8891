import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSqliteStore, runCli } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../bin/parley.js');

describe('the parley CLI', () => {
  let dataDir: string;
  let out: string;
  let err: string;
  const run = (...argv: string[]) =>
    runCli(argv, {
      env: { PARLEY_DATA_DIR: dataDir },
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exports a contact found by email, then erases them with --yes, leaving a receipt', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    const appId = JSON.parse(out).id as string;
    const store = await createSqliteStore(join(dataDir, 'parley.db'));
    const now = new Date().toISOString();
    const visitor = { appId, userId: null, verified: false, name: 'Ana Lima', attributes: {}, device: null };
    await store.visitors.create({
      ...visitor,
      id: 'vis_ana',
      email: 'ana@example.org',
      createdAt: now,
      lastSeenAt: now,
    });
    await store.visitors.create({
      ...visitor,
      id: 'vis_bob',
      email: 'bob@example.org',
      createdAt: now,
      lastSeenAt: now,
    });
    const send = (visitorId: string, text: string) =>
      store.messages.append({
        appId,
        visitorId,
        author: { type: 'visitor', id: visitorId, name: null },
        clientId: text,
        text,
        now,
      });
    await send('vis_ana', 'Ana asks about order 5521');
    await send('vis_bob', 'Bob asks about order 7734');
    await store.webhooks.createEndpoint({
      id: 'whk_1',
      appId,
      url: 'https://hooks.example/parley',
      description: '',
      events: ['contact.erased'],
      secretEnc: 'x',
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    });
    await store.close();

    out = '';
    expect(await run('contacts', 'export', '--app', appId, '--email', 'ana@example.org')).toBe(0);
    const document = JSON.parse(out);
    expect(out).toContain('Ana asks about order 5521');
    expect(out).not.toContain('Bob');
    expect(document.audit).toEqual([expect.objectContaining({ action: 'contact.exported', actorId: 'cli' })]);

    out = '';
    expect(await run('contacts', 'erase', '--app', appId, '--email', 'ana@example.org')).toBe(2);
    expect(err).toContain('--yes');
    expect(await run('contacts', 'erase', '--app', appId, '--id', 'vis_ana', '--yes', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      contactId: 'vis_ana',
      rows: { visitors: 1, conversations: 1, messages: 1 },
    });
    // The webhook that wants it has its event waiting in the outbox.
    const after = await createSqliteStore(join(dataDir, 'parley.db'));
    const deliveries = await after.webhooks.listDeliveries(appId, 'whk_1', { limit: 10 });
    await after.close();
    expect(deliveries).toMatchObject([{ eventType: 'contact.erased', status: 'pending' }]);
    out = '';
    err = '';
    expect(await run('contacts', 'export', '--app', appId, '--id', 'vis_ana')).toBe(1);
    expect(await run('contacts', 'export', '--app', appId, '--user-id', 'nobody', '--email', 'x@y.z')).toBe(2);
    expect(await run('contacts', 'export', '--app', appId, '--email', 'bob@example.org')).toBe(0);
  });

  it('replaces the master key: the data reads with the new one, and no longer with the old', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    const appId = JSON.parse(out).id as string;
    const keyFile = join(dataDir, 'master.key');
    const oldKey = readFileSync(keyFile, 'utf8').trim();
    const store = await createSqliteStore(join(dataDir, 'parley.db'), { masterKey: Buffer.from(oldKey, 'hex') });
    const now = new Date().toISOString();
    await store.visitors.create({
      id: 'vis_ana',
      appId,
      userId: null,
      verified: false,
      email: 'ana@example.org',
      name: null,
      attributes: {},
      device: null,
      createdAt: now,
      lastSeenAt: now,
    });
    await store.messages.append({
      appId,
      visitorId: 'vis_ana',
      author: { type: 'visitor', id: 'vis_ana', name: null },
      clientId: 'c1',
      text: 'KEPT-THROUGH-ROTATION',
      now,
    });
    await store.close();

    const newKey = 'ab'.repeat(32);
    expect(await run('keys', 'rotate', '--new-key', newKey)).toBe(2);
    expect(await run('keys', 'rotate', '--new-key', 'short', '--yes')).toBe(1);
    out = '';
    expect(await run('keys', 'rotate', '--new-key', newKey, '--yes', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ apps: 1 });
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(newKey);
    out = '';
    expect(await run('contacts', 'export', '--app', appId, '--id', 'vis_ana')).toBe(0);
    expect(out).toContain('KEPT-THROUGH-ROTATION');
    // The old key opens nothing any more.
    const withOld = await runCli(['contacts', 'export', '--app', appId, '--id', 'vis_ana'], {
      env: { PARLEY_DATA_DIR: dataDir, PARLEY_MASTER_KEY: oldKey },
      out: () => undefined,
      err: (t) => {
        err += t;
      },
    });
    expect(withOld).toBe(1);
  });

  it('creates an app and an agent and prints them as JSON', async () => {
    expect(
      await run(
        'apps',
        'create',
        '--name',
        'Shop',
        '--origin',
        'https://shop.example',
        '--identity-verification',
        '--json',
      ),
    ).toBe(0);
    const app = JSON.parse(out);
    expect(app).toMatchObject({
      id: expect.stringMatching(/^app_/),
      name: 'Shop',
      origins: ['https://shop.example'],
      identityVerification: true,
      identitySecret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    out = '';
    expect(
      await run(
        'agents',
        'create',
        '--app',
        app.id,
        '--email',
        'Ana@Shop.example',
        '--name',
        'Ana',
        '--role',
        'admin',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      id: expect.stringMatching(/^agt_/),
      appId: app.id,
      email: 'ana@shop.example',
      role: 'admin',
      password: expect.any(String),
      token: expect.stringMatching(/^pat_/),
    });
  });

  it("updates an app's messenger settings and refuses bad ones with the reason", async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    const { id } = JSON.parse(out);
    out = '';
    expect(
      await run(
        'apps',
        'update',
        '--app',
        id,
        '--greeting',
        'Hola!',
        '--accent',
        '#0f766e',
        '--position',
        'left',
        '--reply-time',
        'minutes',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      origins: ['https://shop.example'],
      settings: { greeting: 'Hola!', accentColor: '#0f766e', position: 'left', replyTime: 'minutes' },
    });
    out = '';
    expect(await run('apps', 'update', '--app', id, '--greeting', '', '--json')).toBe(0);
    expect(JSON.parse(out).settings).toEqual({ accentColor: '#0f766e', position: 'left', replyTime: 'minutes' });
    expect(await run('apps', 'update', '--app', id, '--reply-time', 'weeks')).toBe(1);
    expect(err).toContain('replyTime is one of minutes, hours, day');
    expect(await run('apps', 'update', '--app', id, '--accent', 'teal')).toBe(1);
    expect(err).toContain('accentColor is a hex colour');
  });

  it('answers bad arguments with the usage and exit code 2', async () => {
    expect(await run('apps', 'create', '--name', 'Shop')).toBe(2);
    expect(err).toContain('at least one --origin is required');
    expect(err).toContain('Usage: parley');
    err = '';
    expect(await run('apps', 'create', '--nme', 'typo', '--origin', 'https://a.example')).toBe(2);
    expect(err).toContain("Unknown option '--nme'");
    err = '';
    expect(await run('agents', 'create', '--app', 'app_x', '--email', 'a@b.c', '--name', 'A', '--role', 'boss')).toBe(
      2,
    );
    expect(err).toContain('--role must be admin or agent');
    err = '';
    expect(await run('teleport')).toBe(2);
    expect(err).toContain('unknown command');
  });

  it('fails with exit code 1 and a reason for a bad origin or an unknown app', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'shop.example/path')).toBe(1);
    expect(err).toContain('is not an origin');
    err = '';
    expect(
      await run('agents', 'create', '--app', 'app_missing', '--email', 'a@b.c', '--name', 'A', '--role', 'agent'),
    ).toBe(1);
    expect(err).toContain('app app_missing not found');
  });

  it('creates apps that verify identities unless told not to', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ identityVerification: true, identitySecret: expect.any(String) });
    out = '';
    expect(
      await run(
        'apps',
        'create',
        '--name',
        'Open',
        '--origin',
        'https://open.example',
        '--no-identity-verification',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ identityVerification: false });
  });

  it('prints nested results as readable lines, never [object Object]', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    const { id } = JSON.parse(out);
    out = '';
    expect(await run('apps', 'update', '--app', id, '--greeting', 'Hi there', '--position', 'left')).toBe(0);
    expect(out).not.toContain('[object Object]');
    expect(out).toContain('settings.greeting: Hi there');
    expect(out).toContain('settings.position: left');
    expect(out).toContain('origins: https://shop.example');
  });

  it('answers --help for every command, on standard output, with exit code 0', async () => {
    for (const command of [
      ['apps', 'create'],
      ['apps', 'update'],
      ['agents', 'create'],
      ['policy', 'show'],
      ['policy', 'set'],
      ['policy', 'reset'],
      ['screen'],
    ]) {
      out = '';
      err = '';
      expect(await run(...command, '--help'), command.join(' ')).toBe(0);
      expect(out).toContain(`Usage: parley ${command.join(' ')}`);
      expect(out).toContain('--help');
      expect(err).toBe('');
    }
  });

  it('refuses DATABASE_URL or REDIS_URL without PARLEY_SECRET, as the server does', async () => {
    const withEnv = (env: Record<string, string>) =>
      runCli(['apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example'], {
        env: { PARLEY_DATA_DIR: dataDir, ...env },
        out: (t) => {
          out += t;
        },
        err: (t) => {
          err += t;
        },
      });
    expect(await withEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })).toBe(1);
    expect(err).toContain('PARLEY_SECRET must be set when DATABASE_URL is set');
    err = '';
    expect(await withEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe(1);
    expect(err).toContain('REDIS_URL is for several nodes');
    expect(out).toBe('');
  });

  it('writes valid JSON alone on standard output under plain `pnpm parley`', async () => {
    const root = join(import.meta.dirname, '../../..');
    const { stdout } = await exec(
      'pnpm',
      ['parley', 'apps', 'create', '--name', 'Pnpm', '--origin', 'https://pnpm.example', '--json'],
      { cwd: root, env: { ...process.env, PARLEY_DATA_DIR: dataDir } },
    );
    expect(JSON.parse(stdout)).toMatchObject({ name: 'Pnpm', identityVerification: true });
  });

  it('runs as the parley bin', async () => {
    const { stdout } = await exec(
      process.execPath,
      [BIN, 'apps', 'create', '--name', 'Bin', '--origin', 'http://localhost:8080', '--json'],
      {
        env: { ...process.env, PARLEY_DATA_DIR: dataDir },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ name: 'Bin', origins: ['http://localhost:8080'] });
    const failed = exec(process.execPath, [BIN, 'apps'], { env: { ...process.env, PARLEY_DATA_DIR: dataDir } });
    await expect(failed).rejects.toMatchObject({ code: 2 });
  });

  it('screens JSON lines from standard input, one verdict per line, errors naming the line', async () => {
    const lines = [
      JSON.stringify({ id: 'a', text: 'card 4242 4242 4242 4242 please' }),
      'not json',
      JSON.stringify({ id: 'b', text: 'I will kill you' }),
      JSON.stringify({ id: 'c', text: 'hello', name: 'Ѕupport' }),
      JSON.stringify({ id: 'd', text: 'my wife was diagnosed with diabetes' }),
    ];
    const stdin = async function* () {
      yield* lines;
    };
    const screen = (...argv: string[]) =>
      runCli(['screen', ...argv], {
        env: { PARLEY_DATA_DIR: dataDir },
        out: (t) => {
          out += t;
        },
        err: (t) => {
          err += t;
        },
        lines: stdin,
      });
    expect(await screen()).toBe(0);
    const results = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results).toEqual([
      {
        id: 'a',
        action: 'redact',
        categories: ['financial'],
        rules: ['financial.card'],
        clauses: [expect.stringMatching(/Kustomer/)],
        text: 'card [card ••••4242] please',
      },
      { line: 2, error: { code: 'invalid_payload', message: 'not JSON' } },
      expect.objectContaining({ id: 'b', action: 'block', categories: ['threat'], text: null }),
      expect.objectContaining({ id: 'c', action: 'flag', categories: ['impersonation'], text: 'hello' }),
      expect.objectContaining({ id: 'd', action: 'flag', categories: ['health'] }),
    ]);
    out = '';
    expect(await screen('--baa')).toBe(0);
    expect(JSON.parse(out.trim().split('\n')[4]!)).toMatchObject({ id: 'd', action: 'allow', categories: [] });
  });

  it('sets an app policy from a file, refuses an invalid one with its reasons, and screens with it', async () => {
    expect(await run('apps', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--json')).toBe(0);
    const appId = JSON.parse(out).id as string;
    const file = join(dataDir, 'policy.json');
    writeFileSync(file, JSON.stringify({ version: '1', name: 'broken', rules: [{ id: 'x', detector: 'nope' }] }));
    out = '';
    expect(await run('policy', 'set', '--app', appId, file)).toBe(1);
    expect(err).toContain('rules.0.detector: unknown detector');
    err = '';
    const lenient = {
      version: 'shop-1',
      name: 'Shop',
      extends: 'default',
      rules: [
        {
          id: 'profanity.word',
          detector: 'profanity',
          action: 'allow',
          category: 'profanity',
          clause: { document: 'Shop rules', ref: '§1', reason: 'Swearing is fine here.' },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(lenient));
    expect(await run('policy', 'set', '--app', appId, file, '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ version: 'shop-1', rules: 1 });
    out = '';
    expect(await run('policy', 'show', '--app', appId)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ default: false, policy: { version: 'shop-1' } });
    out = '';
    const screen = await runCli(['screen', '--app', appId], {
      env: { PARLEY_DATA_DIR: dataDir },
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      lines: async function* () {
        yield JSON.stringify({ id: 1, text: 'this damn thing' });
      },
    });
    expect(screen).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ id: 1, action: 'allow' });
    out = '';
    expect(await run('policy', 'reset', '--app', appId)).toBe(0);
    expect(await run('policy', 'set', '--app', appId)).toBe(2);
  });

  it('reads standard input as the bin', () => {
    const result = spawnSync(process.execPath, [BIN, 'screen'], {
      input: `${JSON.stringify({ id: 'x', text: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' })}\n`,
      env: { ...process.env, PARLEY_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: 'x', action: 'redact', text: '[GitHub token]' });
  });
});
