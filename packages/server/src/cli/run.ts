import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SecretBox } from '../auth/secret-box.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig, resolveMasterKey, resolveSecret } from '../config.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import { DEFAULT_RETENTION, purgeExpired } from '../privacy/retention.js';
import { appPolicy, policyRefused, setAppPolicy } from '../screening/admin.js';
import { DEFAULT_POLICY, PolicyError, validatePolicy } from '../screening/policy.js';
import { type CompiledPolicy, compilePolicy, screenText, summary } from '../screening/screener.js';
import { appDomains } from '../screening/service.js';
import type { ScreenContext } from '../screening/types.js';
import { parseMasterKey } from '../store/crypto.js';
import { openStore, type Store } from '../store/index.js';
import { createAgent, createApp, updateApp } from '../tenancy/index.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Lines of standard input (for `parley screen`). */
  lines?: () => AsyncIterable<string>;
}

const STORE_NOTE = `The store is the one the server uses: DATABASE_URL, or SQLite in PARLEY_DATA_DIR (./data).
With DATABASE_URL or REDIS_URL set, PARLEY_SECRET must be set too, to the servers' value.`;

class UsageError extends Error {}

interface Command {
  /** The synopsis and what it does, as `parley <command> --help` and `parley help` print it. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Positional arguments it takes (a file name). */
  positionals?: number;
  /** False for commands that may run without the store. */
  needsStore?: (values: Record<string, unknown>) => boolean;
  /** What to print; `undefined` when the command wrote its own output. */
  run(
    values: Record<string, unknown>,
    store: Store | undefined,
    io: CliIo,
    secret: string,
    positionals: string[],
  ): Promise<Record<string, unknown> | undefined>;
}

const required = (values: Record<string, unknown>, name: string): string => {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
};

const contactOptions = {
  app: { type: 'string' },
  id: { type: 'string' },
  'user-id': { type: 'string' },
  email: { type: 'string' },
} as const;

const COMMANDS: Record<string, Command> = {
  'apps create': {
    usage: `apps create --name NAME --origin URL [--origin URL …] [--no-identity-verification] [--json]
    Create an app. Prints its id and identity-verification secret (shown once). Identity
    verification is on: a host proves its signed-in user with userHash or userJwt made with
    that secret. --no-identity-verification lets pages declare a user without proof (agents
    then see such users as unverified, and a declared id never opens another session's history).`,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      'no-identity-verification': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values, store, _io, secret) {
      const origins = (values.origin as string[] | undefined) ?? [];
      if (origins.length === 0) throw new UsageError('at least one --origin is required');
      if (values['identity-verification'] && values['no-identity-verification']) {
        throw new UsageError('--identity-verification and --no-identity-verification contradict each other');
      }
      const { app, identitySecret } = await createApp(
        storeOf(store),
        new SecretBox(secret),
        {
          name: required(values, 'name'),
          origins,
          identityVerification: values['no-identity-verification'] !== true,
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
    usage: `apps update --app APP_ID [--origin URL …] [--identity-verification | --no-identity-verification]
            [--hipaa-baa | --no-hipaa-baa] [--greeting TEXT] [--accent #RRGGBB] [--position left|right]
            [--launcher-label TEXT] [--reply-time minutes|hours|day] [--json]
    Change an app's origins, identity verification or messenger settings ("" clears a setting).`,
    options: {
      app: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'identity-verification': { type: 'boolean' },
      'no-identity-verification': { type: 'boolean' },
      greeting: { type: 'string' },
      accent: { type: 'string' },
      position: { type: 'string' },
      'launcher-label': { type: 'string' },
      'reply-time': { type: 'string' },
      'hipaa-baa': { type: 'boolean' },
      'no-hipaa-baa': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values, store) {
      const settings: Record<string, string | null> = {};
      for (const [flag, key] of [
        ['greeting', 'greeting'],
        ['accent', 'accentColor'],
        ['position', 'position'],
        ['launcher-label', 'launcherLabel'],
        ['reply-time', 'replyTime'],
      ] as const) {
        const v = values[flag];
        if (typeof v === 'string') settings[key] = v === '' ? null : v;
      }
      if (values['identity-verification'] && values['no-identity-verification']) {
        throw new UsageError('--identity-verification and --no-identity-verification contradict each other');
      }
      if (values['hipaa-baa'] && values['no-hipaa-baa']) {
        throw new UsageError('--hipaa-baa and --no-hipaa-baa contradict each other');
      }
      const app = await updateApp(storeOf(store), required(values, 'app'), {
        ...(values['hipaa-baa'] ? { hipaaBaa: true } : {}),
        ...(values['no-hipaa-baa'] ? { hipaaBaa: false } : {}),
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
    usage: `agents create --app APP_ID --email EMAIL --name NAME --role admin|agent [--json]
    Create an agent. Prints its id, a one-time password (changed at first sign-in to the
    console) and an API token (both shown once).`,
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
        storeOf(store),
        { appId: required(values, 'app'), email: required(values, 'email'), name: required(values, 'name'), role },
        systemClock,
      );
      return { ...agent, password, token };
    },
  },
  'apps delete': {
    usage: `apps delete --app APP_ID --yes [--json]
    Offboarding: delete the app and everything it holds (contacts, conversations, files, its
    team, keys, webhooks, policy and audit trail) in one transaction, then the store's own
    copies. Prints what went, by table. Stop serving the app first: a running server refuses its
    connections from then on.`,
    options: { app: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store) {
      const appId = required(values, 'app');
      if (values.yes !== true) throw new UsageError('deleting an app cannot be undone: add --yes');
      const s = storeOf(store);
      const rows = await s.privacy.eraseApp(appId);
      if (!rows) throw new ParleyError('not_found', `app ${appId} not found`);
      await s.scrub();
      return { app: appId, deletedAt: nowIso(), rows };
    },
  },
  'keys rotate': {
    usage: `keys rotate --new-key KEY --yes [--json]
    Replace the master key of encryption at rest: every app's key is wrapped again with KEY (64
    hex characters; openssl rand -hex 32), in one transaction; the data is not rewritten. Then
    set PARLEY_MASTER_KEY to KEY on every node before they start again (a key kept in the data
    dir is replaced there).`,
    options: { 'new-key': { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store, io) {
      const next = parseMasterKey(required(values, 'new-key'));
      if (values.yes !== true) throw new UsageError('the old key stops working: add --yes');
      const apps = await storeOf(store).rotateMasterKey(next);
      const config = loadConfig(io.env);
      // A key generated into the data dir is replaced there; one from the environment is the operator's to change.
      const kept = config.masterKey === undefined && !config.databaseUrl;
      if (kept) writeFileSync(join(config.dataDir, 'master.key'), `${next.toString('hex')}\n`, { mode: 0o600 });
      return {
        apps,
        masterKey: kept
          ? `replaced in ${join(config.dataDir, 'master.key')}`
          : 'set PARLEY_MASTER_KEY to the new key now',
      };
    },
  },
  'contacts export': {
    usage: `contacts export --app APP_ID (--id VIS_ID | --user-id ID | --email EMAIL)
    Print everything held about a contact as one JSON document (as GET /v1/contacts/{id}/export
    answers it), and record the export in the audit trail.`,
    options: contactOptions,
    async run(values, store, io) {
      const appId = required(values, 'app');
      const s = storeOf(store);
      const contactId = await findContact(s, appId, values);
      const found = await s.privacy.export(appId, contactId);
      if (!found) throw new ParleyError('not_found', `contact ${contactId} not found`);
      await auditFromCli(s, appId, 'contact.exported', contactId, {});
      const audit = await s.audit.list(appId, { objectId: contactId, limit: 1000 });
      io.out(
        `${JSON.stringify({ contactId, exportedAt: nowIso(), tables: found.tables, audit: audit.map(({ appId: _a, ...e }) => e) }, null, 2)}\n`,
      );
      return undefined;
    },
  },
  'contacts erase': {
    usage: `contacts erase --app APP_ID (--id VIS_ID | --user-id ID | --email EMAIL) --yes [--json]
    Erase a contact for good: every row about them, in one transaction, then the store's own
    copies. Prints the receipt (counts by table, no personal data); the audit trail keeps it.
    A running server refuses their tokens at once and sends the contact.erased webhook; their
    open connections close when they next reconnect (DELETE /v1/contacts/{id} closes them at once).`,
    options: { ...contactOptions, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, store) {
      const appId = required(values, 'app');
      if (values.yes !== true) throw new UsageError('erasing cannot be undone: add --yes');
      const s = storeOf(store);
      const contactId = await findContact(s, appId, values);
      const erasedAt = nowIso();
      // The endpoints that want `contact.erased` hear of it, as from the API: a running
      // server delivers what the outbox holds within a second.
      const endpointIds = (await s.webhooks.listEndpoints(appId))
        .filter((e) => e.enabled && (e.events.includes('*') || e.events.includes('contact.erased')))
        .map((e) => e.id);
      const rows = await s.transaction(async (tx) => {
        const counts = await tx.privacy.erase(appId, contactId);
        if (!counts) throw new ParleyError('not_found', `contact ${contactId} not found`);
        await auditFromCli(tx, appId, 'contact.erased', contactId, { rows: counts });
        await tx.webhooks.record([
          {
            id: newId('evt'),
            appId,
            type: 'contact.erased',
            orderingKey: contactId,
            payload: JSON.stringify({ type: 'contact.erased', timestamp: erasedAt, data: { contactId, erasedAt } }),
            endpointIds,
            now: erasedAt,
          },
        ]);
        return counts;
      });
      await s.scrub();
      return { contactId, erasedAt, erasedBy: 'cli', rows };
    },
  },
  purge: {
    usage: `purge [--json]
    Delete what is past retention now, as the server does every hour: each app's conversations
    idle longer than its retentionDays setting (default 90; 0 keeps them) with their messages,
    notes, incidents and files, contacts left with none, and old screening verdicts and audit
    entries. Prints what went, by app; each app's audit trail records it.`,
    options: { json: { type: 'boolean' } },
    async run(_values, store) {
      const summary = await purgeExpired(storeOf(store), systemClock, DEFAULT_RETENTION, 'cli');
      return { ...summary };
    },
  },
  'policy show': {
    usage: `policy show --app APP_ID
    Print the app's screening policy (JSON): its own, or the default.`,
    options: { app: { type: 'string' } },
    async run(values, store, io) {
      const { policy, isDefault } = await appPolicy(storeOf(store), required(values, 'app'));
      io.out(`${JSON.stringify({ default: isDefault, policy }, null, 2)}\n`);
      return undefined;
    },
  },
  'policy set': {
    usage: `policy set --app APP_ID FILE [--json]
    Replace the app's screening policy with the JSON document in FILE. A policy that does not
    validate is refused with every reason, and the old one stays.`,
    options: { app: { type: 'string' }, json: { type: 'boolean' } },
    positionals: 1,
    async run(values, store, _io, _secret, [file]) {
      if (!file) throw new UsageError('policy set needs the policy FILE');
      const policy = await setAppPolicy(storeOf(store), required(values, 'app'), readJson(file), nowIso());
      return { app: values.app, version: policy.version, name: policy.name, rules: policy.rules.length };
    },
  },
  'policy reset': {
    usage: `policy reset --app APP_ID [--json]
    Go back to the default policy.`,
    options: { app: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, store) {
      const policy = await setAppPolicy(storeOf(store), required(values, 'app'), null, nowIso());
      return { app: values.app, version: policy.version, name: policy.name };
    },
  },
  screen: {
    usage: `screen [--app APP_ID | --policy FILE] [--baa]
    Screen JSON lines { "id", "text", "name"? } from standard input; write one JSON line per
    input: { "id", "action", "categories", "rules", "clauses", "text" } (text null if blocked).
    The default policy unless --app or --policy; --baa allows health information.`,
    options: { app: { type: 'string' }, policy: { type: 'string' }, baa: { type: 'boolean' } },
    needsStore: (values) => typeof values.app === 'string',
    async run(values, store, io) {
      if (values.app && values.policy) throw new UsageError('give --app or --policy, not both');
      let policy = DEFAULT_POLICY;
      let context: ScreenContext = { role: 'visitor' };
      let hipaaBaa = values.baa === true;
      if (typeof values.app === 'string') {
        const app = await storeOf(store).apps.get(values.app);
        if (!app) throw new ParleyError('not_found', `app ${values.app} not found`);
        policy = (await appPolicy(storeOf(store), app.id)).policy;
        context = { role: 'visitor', appDomains: appDomains(app), appName: app.name };
        hipaaBaa ||= app.settings.hipaaBaa === true;
      } else if (typeof values.policy === 'string') {
        try {
          policy = validatePolicy(readJson(values.policy));
        } catch (err) {
          if (err instanceof PolicyError) throw policyRefused(err);
          throw err;
        }
      }
      const compiled = compilePolicy(policy, { hipaaBaa });
      let n = 0;
      for await (const line of io.lines?.() ?? []) {
        n++;
        if (line.trim() === '') continue;
        io.out(`${JSON.stringify(screenLine(line, n, compiled, context))}\n`);
      }
      return undefined;
    },
  },
};

export const USAGE = `Usage: parley <command> [options]   (parley <command> --help for one command)

Commands:
  serve                 runs the server (what \`parley\` with no command does); PORT, HOST,
                        DATABASE_URL, REDIS_URL, PARLEY_SECRET … as in the README
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`)
  .join('\n')}

${STORE_NOTE}
`;

function commandUsage(command: Command): string {
  return `Usage: parley ${command.usage}\n\nOptions:\n${Object.keys(command.options)
    .map((o) => `  --${o}`)
    .join('\n')}\n  --help\n\n${STORE_NOTE}\n`;
}

/**
 * The plain (not --json) output: one `key: value` line per field; nested objects as
 * `key.inner: value`, lists joined with commas.
 */
export function plainLines(value: Record<string, unknown>, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const name = `${prefix}${key}`;
    if (Array.isArray(v))
      lines.push(`${name}: ${v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')}`);
    else if (v !== null && typeof v === 'object') {
      const inner = plainLines(v as Record<string, unknown>, `${name}.`);
      lines.push(...(inner.length > 0 ? inner : [`${name}: (none)`]));
    } else lines.push(`${name}: ${String(v)}`);
  }
  return lines;
}

/** One line of `parley screen`: its verdict, or an error naming the line. */
export function screenLine(line: string, n: number, policy: CompiledPolicy, context: ScreenContext): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { line: n, error: { code: 'invalid_payload', message: 'not JSON' } };
  }
  const i = input as { id?: unknown; text?: unknown; name?: unknown };
  if (
    !i ||
    typeof i !== 'object' ||
    typeof i.text !== 'string' ||
    (i.name !== undefined && typeof i.name !== 'string')
  ) {
    return { line: n, error: { code: 'invalid_payload', message: 'each line is { "id", "text", "name"? }' } };
  }
  const verdict = screenText(i.text, { ...context, ...(i.name ? { senderName: i.name as string } : {}) }, policy);
  return { id: i.id ?? null, action: verdict.action, ...summary(verdict), text: verdict.text };
}

/** The contact a command names by its id, the host's user id, or email: exactly one. */
async function findContact(store: Store, appId: string, values: Record<string, unknown>): Promise<string> {
  const given = ['id', 'user-id', 'email'].filter((k) => typeof values[k] === 'string');
  if (given.length !== 1) throw new UsageError('give one of --id, --user-id or --email');
  if (typeof values.id === 'string') return values.id;
  const list = await store.visitors.list(appId, {
    ...(typeof values.email === 'string' ? { email: values.email } : {}),
    ...(typeof values['user-id'] === 'string' ? { userId: values['user-id'] } : {}),
    limit: 2,
  });
  if (list.length === 0) throw new ParleyError('not_found', 'no such contact in this app');
  if (list.length > 1) throw new ParleyError('conflict', 'more than one contact matches: give --id');
  return list[0]!.id;
}

async function auditFromCli(
  store: Pick<Store, 'audit'>,
  appId: string,
  action: string,
  contactId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await store.audit.record({
    id: newId('aud'),
    appId,
    actorType: 'system',
    actorId: 'cli',
    action,
    objectType: 'contact',
    objectId: contactId,
    detail,
    createdAt: nowIso(),
  });
}

function storeOf(store: Store | undefined): Store {
  if (!store) throw new Error('this command needs the store');
  return store;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ParleyError('invalid_payload', `${file} is not JSON: ${(err as Error).message}`);
  }
}

const nowIso = () => systemClock().toISOString();

/** Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad usage. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const name = COMMANDS[argv[0] ?? ''] ? (argv[0] ?? '') : argv.slice(0, 2).join(' ');
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`parley: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandUsage(command));
    return 0;
  }
  let values: Record<string, unknown>;
  let positionals: string[] = [];
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: (command.positionals ?? 0) > 0,
    });
    values = parsed.values as Record<string, unknown>;
    positionals = parsed.positionals;
    if (positionals.length > (command.positionals ?? 0)) throw new Error(`unexpected argument ${positionals.at(-1)}`);
  } catch (err) {
    io.err(`parley: ${(err as Error).message}\n\n${commandUsage(command)}`);
    return 2;
  }
  let store: Store | undefined;
  try {
    let secret = '';
    if (command.needsStore?.(values) ?? true) {
      const config = loadConfig(io.env);
      secret = resolveSecret(config);
      store = await openStore(config, { masterKey: resolveMasterKey(config).key });
    }
    const result = await command.run(values, store, io, secret, positionals);
    if (!result) return 0;
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      io.out(`${plainLines(result).join('\n')}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`parley: ${err.message}\n\n${commandUsage(command)}`);
      return 2;
    }
    if (err instanceof ParleyError || err instanceof ConfigError) {
      const reasons = err instanceof ParleyError && err.fields ? Object.entries(err.fields) : [];
      io.err(`parley: ${err.message}\n${reasons.map(([k, v]) => `  ${k}: ${v}\n`).join('')}`);
      return 1;
    }
    io.err(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
