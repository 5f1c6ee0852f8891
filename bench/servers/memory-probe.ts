// Answers "memory" on standard input with this process's heap and RSS, measured after two
// full collections (node --expose-gc), so the figure is what the process keeps, not garbage.
import { createInterface } from 'node:readline';

export function answerMemoryProbes(): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'cpu') {
      const { user, system } = process.cpuUsage();
      // The monotonic clock V8's --cpu-prof timestamps use, so a profile can be cut to a window.
      const atMicros = Number(process.hrtime.bigint() / 1000n);
      process.stdout.write(`${JSON.stringify({ cpuMicros: user + system, atMicros })}\n`);
      return;
    }
    if (line.trim() !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ heapUsed, rss })}\n`);
  });
}
