// `pnpm bench`: runs every suite, writes bench/results/latest.json and prints a table.
// Each figure that has a goal is a ratio against a baseline measured in this same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleSizes } from '@parley/console/size';
import { widgetSizes } from '@parley/widget/size';
import { runIdle } from './suites/idle.js';
import { runMessaging } from './suites/messaging.js';
import { runScreening } from './suites/screening.js';

const quick = process.argv.includes('--quick');
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { cpus: (await import('node:os')).cpus().length },
};

const widget = widgetSizes();
results.widget = widget;
const consoleFiles = consoleSizes();
results.console = consoleFiles;

const screening = runScreening({ measureMs: quick ? 1000 : 3000 });
results.screening = screening;
const held = screening.held_out;

const messaging = await runMessaging({
  visitors: 500,
  warmupMs: quick ? 1000 : 3000,
  measureMs: quick ? 3000 : 10_000,
});
results.messaging = messaging;

// 10,000 idle visitors where the machine holds them (file descriptors, ports); the table
// prints how many were held.
const idle = await runIdle({ connections: quick ? 2000 : 10_000 });
results.idle = idle;

const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

const rows: [string, string, string][] = [
  ...widget.files.map((f): [string, string, string] => [
    'widget',
    `${f.name} min / gzip / brotli bytes`,
    `${f.min_bytes} / ${f.gzip_bytes} / ${f.brotli_bytes}`,
  ]),
  ['widget', `loader gzip bytes (budget ${widget.budget.loader_gzip_bytes})`, String(widget.loader_gzip_bytes)],
  [
    'widget',
    `all a page can load (loader, panel, largest language), gzip bytes (budget ${widget.budget.total_gzip_bytes})`,
    String(widget.total_gzip_bytes),
  ],
  ...consoleFiles.files.map((f): [string, string, string] => [
    'console',
    `${f.name} min / gzip bytes`,
    `${f.min_bytes} / ${f.gzip_bytes}`,
  ]),
  [
    'console',
    `total gzip bytes (budget ${consoleFiles.budget.total_gzip_bytes})`,
    String(consoleFiles.total_gzip_bytes),
  ],
  ['messaging', 'visitors', String(messaging.visitors)],
  ['messaging', 'echo msgs/s (baseline)', String(messaging.echo.msgsPerS)],
  ['messaging', 'parley msgs/s', String(messaging.msgs_per_s)],
  ['messaging', 'throughput ratio vs echo (goal ≥ 0.6)', String(messaging.throughput_ratio_vs_echo)],
  ['messaging', 'echo send→ack p50 / p99 ms', `${messaging.echo.ackP50Ms} / ${messaging.echo.ackP99Ms}`],
  ['messaging', 'parley send→ack p50 / p99 ms', `${messaging.send_ack_p50_ms} / ${messaging.send_ack_p99_ms}`],
  ['messaging', 'ack p99 ratio vs echo (goal ≤ 2)', String(messaging.ack_p99_ratio_vs_echo)],
  ['messaging', 'parley visitor→agent p50 / p99 ms', `${messaging.delivery_p50_ms} / ${messaging.delivery_p99_ms}`],
  ['messaging', 'errors (echo / parley)', `${messaging.echo.errors} / ${messaging.parley.errors}`],
  ['messaging', 'parley without screening msgs/s', String(messaging.unscreened.msgsPerS)],
  ['messaging', 'throughput cost of screening (goal ≤ 0.10)', String(messaging.screening_cost)],
  ['messaging', 'parley without encryption at rest msgs/s', String(messaging.unencrypted.msgsPerS)],
  ['messaging', 'throughput cost of encryption at rest (goal ≤ 0.10)', String(messaging.encryption_cost)],
  ['idle', 'visitors held (bare / parley)', `${idle.bare.held} / ${idle.parley.held}`],
  [
    'idle',
    'heap KB per idle connection (bare / parley)',
    `${(idle.bare.heapBytesPerConnection / 1024).toFixed(2)} / ${idle.heap_kb_per_visitor}`,
  ],
  ['idle', 'heap per visitor (goal ≤ 12 KB) ratio vs bare (goal ≤ 1.3)', String(idle.heap_ratio_vs_bare)],
  [
    'idle',
    'RSS KB per idle connection (bare / parley), ratio',
    `${(idle.bare.rssBytesPerConnection / 1024).toFixed(2)} / ${idle.rss_kb_per_visitor}, ${idle.rss_ratio_vs_bare}`,
  ],
  ['screening', 'short messages/s, one core (goal ≥ 100,000)', String(screening.msgs_per_s)],
  [
    'screening',
    'JSON round trip/s (baseline) / ratio',
    `${screening.baseline_json_roundtrip_per_s} / ${screening.ratio_vs_json_roundtrip}`,
  ],
  ['screening', 'short message p50 / p99 µs (goal p99 ≤ 100)', `${screening.p50_us} / ${screening.p99_us}`],
  [
    'screening',
    '10 KB log p50 / p99 µs (goal p99 ≤ 1,000)',
    `${screening.log_10kb_p50_us} / ${screening.log_10kb_p99_us}`,
  ],
  [
    'screening',
    `held back: ordinary messages (${held.ordinary.n}) flagged or blocked (goal ≤ 0.03) / blocked (goal ≤ 0.005)`,
    `${held.ordinary.flagged} / ${held.ordinary.blocked}`,
  ],
  [
    'screening',
    `held back: abuse/hate (${held.abuse.positives}) recall (goal ≥ 0.70) / precision`,
    `${held.abuse.recall} / ${held.abuse.precision}`,
  ],
  [
    'screening',
    `held back: spam (${held.spam.positives}) recall (goal ≥ 0.70) / precision`,
    `${held.spam.recall} / ${held.spam.precision}`,
  ],
  [
    'screening',
    `held back: phishing URLs (${held.phishing.positives}) recall (goal ≥ 0.50) / precision`,
    `${held.phishing.recall} / ${held.phishing.precision}`,
  ],
  ['screening', `held back: card numbers surviving (of ${held.cards.vectors}; goal none)`, String(held.cards.survived)],
  [
    'screening',
    `corpus: ${screening.corpus.cases} cases, false positives on ${screening.corpus.negatives} negatives`,
    String(screening.corpus.false_positive_rate_on_negatives),
  ],
  ...Object.entries(screening.corpus.categories).map(([name, c]): [string, string, string] => [
    'screening',
    `${name} (${c.cases} cases) precision / recall`,
    `${c.precision} / ${c.recall}`,
  ]),
];
const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(width[i]!)).join('  '));
console.log(`\nwritten to ${join(dir, 'latest.json')}`);
