import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Tests that start the server process or load the widget use the built files: build them first. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '../../scripts/build.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
}
