import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createServer, LOG_REDACT, type ParleyServer } from './app.js';
import { SecretBox } from './auth/secret-box.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, resolveMasterKey, resolveSecret } from './config.js';
import { ensureDemo } from './demo.js';
import { RedisUnreachableError } from './platform/redis.js';
import { sodiumChaCha } from './store/chacha.js';
import { openStore } from './store/index.js';

/**
 * Where the built widget or console files are: inside the installed package (`public/`, put
 * there when it is packed), else beside it in the workspace (`packages/widget/dist`).
 */
function builtFiles(name: 'widget' | 'console'): string {
  const packaged = fileURLToPath(new URL(`../public/${name}`, import.meta.url));
  return existsSync(packaged) ? packaged : fileURLToPath(new URL(`../../${name}/dist`, import.meta.url));
}

/**
 * The process entry: reads the environment, opens the store, listens. Nothing else does.
 *
 * Standard output carries the JSON log (one line per event, for a log pipeline); standard
 * error carries what is meant for the person at the terminal: the start-up banner and, on a
 * fresh store, the demo credentials, printed once and never logged.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const secret = resolveSecret(config);
  const logger = pino({ level: config.logLevel, redact: LOG_REDACT });
  const master = resolveMasterKey(config);
  if (master.generated) {
    logger.warn(
      `encryption at rest uses a master key kept in ${config.dataDir}/master.key, beside the data it protects: set PARLEY_MASTER_KEY (and keep it elsewhere) to protect copies of the data`,
    );
  }
  if (!sodiumChaCha) {
    logger.warn(
      'sodium-native (libsodium) could not be loaded here: texts are sealed with node:crypto instead, in the same format but about five times slower',
    );
  }
  let server: ParleyServer | undefined;
  const store = await openStore(config, {
    masterKey: master.key,
    onConnectionError: (err) => {
      logger.warn({ err }, 'a database connection was lost; the pool replaces it');
      server?.context.metrics.inc('parley_store_connection_errors_total', 'Database connections lost');
    },
    onCheckpointError: (message) => logger.warn(message),
  });
  server = await createServer({
    store,
    secret,
    logger,
    widgetDir: builtFiles('widget'),
    consoleDir: builtFiles('console'),
    ...(config.redisUrl ? { redisUrl: config.redisUrl, redisPrefix: config.redisPrefix } : {}),
    ...(config.webhooksAllowPrivateNetwork ? { limits: { webhooks: { allowPrivateNetwork: true } } } : {}),
  });
  const url = await server.listen(config.port, config.host);
  const demo = await ensureDemo(store, new SecretBox(secret), systemClock, url, server.context.shared);
  logger.info({ url, store: store.kind, redis: Boolean(config.redisUrl) }, 'listening');

  const lines = [
    '',
    `Parley is running at ${url}`,
    `  store:   ${store.kind === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'}`,
    `  console: ${url}/console`,
    `  demo:    ${url}/demo`,
    `  health:  ${url}/healthz (alive), ${url}/readyz (ready for traffic)`,
  ];
  if (demo) {
    lines.push(
      '',
      'A demo app and an admin agent were created (shown once; keep them):',
      `  app id:          ${demo.appId}`,
      `  identity secret: ${demo.identitySecret}`,
      `  agent email:     ${demo.agentEmail}`,
      `  agent password:  ${demo.agentPassword} (one-time: sign in at ${url}/console and choose your own)`,
      `  agent token:     ${demo.agentToken}`,
      '',
      `Try it: curl -H "Authorization: Bearer ${demo.agentToken}" ${url}/v1/conversations`,
    );
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: draining');
    await server?.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`parley: configuration error: ${err.message}\n`);
  } else if (err instanceof RedisUnreachableError) {
    process.stderr.write(`parley: failed to start: ${err.message}\n`);
  } else {
    process.stderr.write(
      `parley: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
