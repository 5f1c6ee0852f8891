import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '@parley/server';
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
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      origins: ['https://shop.example'],
      settings: { greeting: 'Hola!', accentColor: '#0f766e', position: 'left' },
    });
    out = '';
    expect(await run('apps', 'update', '--app', id, '--greeting', '', '--json')).toBe(0);
    expect(JSON.parse(out).settings).toEqual({ accentColor: '#0f766e', position: 'left' });
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
});
