import net from 'node:net';

/**
 * PostgreSQL and Redis run on every machine here and in CI. A test that needs one skips,
 * saying why, when it is absent, unless PARLEY_REQUIRE_SERVICES is set (CI sets it): then the
 * absence is a failure.
 */
export const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const required = Boolean(process.env.PARLEY_REQUIRE_SERVICES);

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function check(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  const why = `${name} is not reachable at ${url}`;
  if (required) throw new Error(`${why}, and PARLEY_REQUIRE_SERVICES is set`);
  console.warn(`skipping ${name} tests: ${why} (set PARLEY_REQUIRE_SERVICES=1 to make this a failure)`);
  return false;
}

export const hasPostgres = await check('PostgreSQL', POSTGRES_URL);
export const hasRedis = await check('Redis', REDIS_URL);
