import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SecretBox } from '../auth/secret-box.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig, resolveSecret } from '../config.js';
import { ParleyError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { createAgent, createApp, updateApp } from '../tenancy.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

export const USAGE = `Usage: parley <command> [options]

Commands:
  apps create --name NAME --origin URL [--origin URL …] [--identity-verification] [--json]
      Create an app. Prints its id and identity-verification secret (shown once).
  apps update --app APP_ID [--origin URL …] [--identity-verification | --no-identity-verification]
              [--greeting TEXT] [--accent #RRGGBB] [--position left|right] [--launcher-label TEXT] [--json]
      Change an app's origins, identity verification or messenger settings ("" clears a setting).
  agents create --app APP_ID --email EMAIL --name NAME --role admin|agent [--json]
      Create an agent. Prints its id, a one-time password and an API token (shown once).

The store is the one the server uses: DATABASE_URL, or SQLite in PARLEY_DATA_DIR (./data).
`;

class UsageError extends Error {}

interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, store: Store, io: CliIo, secret: string): Promise<Record<string, unknown>>;
}

const required = (values: Record<string, unknown>, name: string): string => {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
};

const COMMANDS: Record<string, Command> = {
  'apps create': {
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values, store, _io, secret) {
      const origins = (values.origin as string[] | undefined) ?? [];
      if (origins.length === 0) throw new UsageError('at least one --origin is required');
      const { app, identitySecret } = await createApp(
        store,
        new SecretBox(secret),
        {
          name: required(values, 'name'),
          origins,
          identityVerification: values['identity-verification'] === true,
        },
        systemClock,
      );
      return {
        id: app.id,
        name: app.name,
        origins: app.allowedOrigins,
        identityVerification: app.identityVerification,
        identitySecret,
      };
    },
  },
  'apps update': {
    options: {
      app: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      'no-identity-verification': { type: 'boolean' },
      greeting: { type: 'string' },
      accent: { type: 'string' },
      position: { type: 'string' },
      'launcher-label': { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(values, store) {
      const settings: Record<string, string | null> = {};
      for (const [flag, key] of [
        ['greeting', 'greeting'],
        ['accent', 'accentColor'],
        ['position', 'position'],
        ['launcher-label', 'launcherLabel'],
      ] as const) {
        const v = values[flag];
        if (typeof v === 'string') settings[key] = v === '' ? null : v;
      }
      if (values['identity-verification'] && values['no-identity-verification']) {
        throw new UsageError('--identity-verification and --no-identity-verification contradict each other');
      }
      const app = await updateApp(store, required(values, 'app'), {
        ...(values.origin ? { origins: values.origin as string[] } : {}),
        ...(values['identity-verification'] ? { identityVerification: true } : {}),
        ...(values['no-identity-verification'] ? { identityVerification: false } : {}),
        settings,
      });
      return {
        id: app.id,
        origins: app.allowedOrigins,
        identityVerification: app.identityVerification,
        settings: app.settings,
      };
    },
  },
  'agents create': {
    options: {
      app: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    },
    async run(values, store) {
      const role = required(values, 'role');
      if (role !== 'admin' && role !== 'agent') throw new UsageError('--role must be admin or agent');
      const { agent, password, token } = await createAgent(
        store,
        { appId: required(values, 'app'), email: required(values, 'email'), name: required(values, 'name'), role },
        systemClock,
      );
      return { ...agent, password, token };
    },
  },
};

/** Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad usage. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const name = argv.slice(0, 2).join(' ');
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`parley: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
    return 2;
  }
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv.slice(2), options: command.options, strict: true, allowPositionals: false })
      .values as Record<string, unknown>;
  } catch (err) {
    io.err(`parley: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let store: Store | undefined;
  try {
    const config = loadConfig(io.env);
    const secret = resolveSecret(config);
    store = await openStore(config);
    const result = await command.run(values, store, io, secret);
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      io.out(
        `${Object.entries(result)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
          .join('\n')}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`parley: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ParleyError || err instanceof ConfigError) {
      io.err(`parley: ${err.message}\n`);
      return 1;
    }
    io.err(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
