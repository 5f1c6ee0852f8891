// Before `pnpm pack` / `pnpm publish`: builds the server bundles (dist/main.js, cli.js,
// index.js), their type declarations (dist/types) and the widget and console, and copies the
// built widget and console into public/, where an installed server finds them.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../../scripts/build.mjs';

const server = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = join(server, '..');

// Rebuilt only when a source changed: tests running beside a pack read these files.
await build({ quiet: true, ifStale: true });
rmSync(join(server, 'dist/types'), { recursive: true, force: true });
const tsc = createRequire(join(packages, '../package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: server,
  stdio: 'inherit',
});
rmSync(join(server, 'public'), { recursive: true, force: true });
for (const name of ['widget', 'console']) {
  cpSync(join(packages, name, 'dist'), join(server, 'public', name), { recursive: true });
}
