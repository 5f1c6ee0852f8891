/**
 * A small Prometheus registry: counters and gauges with fixed label sets, rendered in the
 * text exposition format at /metrics. Values never carry user content.
 */
type Labels = Record<string, string>;

class Series {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  add(labels: Labels, by: number): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
}

const UNSAFE = /["\\\n]/g;

/** `{name="value",…}`; counted once per stored message, so written without arrays. */
function labelKey(labels: Labels): string {
  let key = '';
  for (const name in labels) {
    const value = labels[name]!;
    key += `${key === '' ? '{' : ','}${name}="${value.replace(UNSAFE, '_')}"`;
  }
  return key === '' ? '' : `${key}}`;
}

export class Metrics {
  private readonly series = new Map<string, Series>();

  private get(name: string, help: string, type: 'counter' | 'gauge'): Series {
    let s = this.series.get(name);
    if (!s) {
      s = new Series(name, help, type);
      this.series.set(name, s);
    }
    return s;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    this.get(name, help, 'counter').add(labels, by);
  }

  gauge(name: string, help: string, labels: Labels, by: number): void {
    this.get(name, help, 'gauge').add(labels, by);
  }

  render(): string {
    const lines: string[] = [];
    for (const s of this.series.values()) {
      lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
      for (const [key, value] of s.values) lines.push(`${s.name}${key} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
