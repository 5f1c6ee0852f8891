#!/usr/bin/env node
// The CLI is bundled by scripts/build.mjs; `pnpm parley` builds it first.
import '../dist/cli.js';
