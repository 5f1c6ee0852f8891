import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@parley/server';
import { expect, it } from 'vitest';
import { appRecord, visitorRecord } from './support/records.js';

const NOW = '2026-11-29T10:00:00.000Z';

it('checkpoints off the event loop and starts the log over, so it stays bounded under constant writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-checkpoint-'));
  const file = join(dir, 'parley.db');
  const errors: string[] = [];
  // Small figures so that a few seconds of writing crosses the bound many times over.
  const store = await createSqliteStore(file, {
    checkpoint: { everyMs: 5, restartAtFrames: 64 },
    onCheckpointError: (message) => errors.push(message),
  });
  try {
    await store.apps.create(appRecord('app_1', NOW));
    const visitors = Array.from({ length: 50 }, (_, i) => `vis_${i}`);
    for (const id of visitors) await store.visitors.create(visitorRecord('app_1', id, NOW));
    const conversations = new Map<string, string>();
    let largestLog = 0;
    let shrank = 0;
    let sent = 0;
    for (let round = 0; round < 300; round++) {
      await Promise.all(
        visitors.map(async (visitorId) => {
          const conversationId = conversations.get(visitorId);
          const { message } = await store.messages.append({
            appId: 'app_1',
            visitorId,
            ...(conversationId ? { conversationId } : {}),
            author: { type: 'visitor', id: visitorId, name: null },
            clientId: `c${sent++}`,
            text: `message ${sent} ${'x'.repeat(200)}`,
            now: NOW,
          });
          conversations.set(visitorId, message.conversationId);
        }),
      );
      const log = statSync(`${file}-wal`).size;
      if (log < largestLog) shrank++;
      largestLog = Math.max(largestLog, log);
    }
    // 15,000 messages in 300 commits wrote over 100 MB of pages to the log (each commit
    // rewrites the index pages it touched). The database file holds them, so checkpoints ran;
    // and the log kept starting over from its beginning instead of growing with what was
    // written: at 64 pages plus what the writer added before it could when the machine is
    // idle (under 8 MB), up to about 22 MB seen with browsers running beside it, when the
    // checkpoint thread gets little CPU (the file keeps its largest size until it is cut back).
    // Without restarts it would hold all 100 MB.
    expect(statSync(file).size).toBeGreaterThan(3_000_000);
    expect(largestLog).toBeLessThan(40_000_000);
    // Starting over writes over the log's file rather than cutting it to nothing and growing
    // it again, which costs twice as much a page (sqlite-checkpointer.ts).
    expect(shrank).toBe(0);
    expect(errors).toEqual([]);
    const last = await store.messages.after(conversations.get('vis_0')!, 299, 10);
    expect(last.messages.map((m) => m.seq)).toEqual([300]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
