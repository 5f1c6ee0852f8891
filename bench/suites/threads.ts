import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (µs) each thread of a process has used, from /proc, in the order the threads
 * started: the event loop first. Empty where there is no /proc (not Linux).
 */
export function threadCpu(pid: number | 'self'): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`).sort((a, b) => Number(a) - Number(b))) {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks of 10 ms.
      out.set(task, (Number(fields[11]) + Number(fields[12])) * 10_000);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return out;
}
