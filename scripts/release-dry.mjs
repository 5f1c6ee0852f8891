// `pnpm release:dry`: everything a release does except publishing. Shows the versions the
// pending changesets would give, builds from scratch, packs @parley/sdk and @parley/server,
// lints the tarballs and installs them into an empty project that uses them (pack-check.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { packAndCheck } from './pack-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const changeset = join(root, 'node_modules/@changesets/cli/bin.js');

console.log('== the release the pending changesets make (.changeset/)');
const dir = mkdtempSync(join(tmpdir(), 'parley-release-'));
try {
  const output = join(dir, 'status.json');
  execFileSync(process.execPath, [changeset, 'status', `--output=${output}`], { cwd: root, stdio: 'ignore' });
  const { releases, changesets } = JSON.parse(readFileSync(output, 'utf8'));
  if (!releases.some((r) => r.type !== 'none')) console.log('no pending changesets: versions stay as they are');
  for (const r of releases.filter((r) => r.type !== 'none'))
    console.log(`  ${r.name}: ${r.oldVersion} → ${r.newVersion} (${r.type})`);
  for (const c of changesets) console.log(`  - ${c.summary.split('\n')[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n== build');
await build();

console.log('\n== pack, lint, install and use');
const result = await packAndCheck({ log: (line) => console.log(`  ✓ ${line}`) });
for (const [name, bytes] of Object.entries(result.tarballs)) {
  console.log(
    `  @parley/${name}: ${(bytes / 1024).toFixed(0)} KB packed; ${result.lint[name].publint} (publint), ${result.lint[name].attw} (attw)`,
  );
}
console.log(
  `  round trip: "${result.roundTrip.reply}"; /widget/parley.js ${result.roundTrip.widget}, /console ${result.roundTrip.console}`,
);
console.log('\nNothing was published. `pnpm release` publishes with `changeset publish`.');
