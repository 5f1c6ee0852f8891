import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, as a string so that it survives bundling (dist/ is one file per entry).
 * It opens its own connection to the database and moves committed pages from the WAL into the
 * database file every `everyMs`. PASSIVE never waits for and never blocks the writer.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
let paused = false;
const timer = setInterval(() => {
  if (paused) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log >= workerData.restartAtFrames) {
      // Long: stand aside while the writer finishes the checkpoint and starts the log over.
      paused = true;
      parentPort.postMessage({ restart: true });
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'resume') {
    paused = false;
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** 16,384 pages: 64 MiB at 4 KiB a page. */
export const DEFAULT_RESTART_AT_FRAMES = 16_384;

export interface CheckpointOptions {
  /** How often the worker checkpoints (default 200 ms). */
  everyMs?: number;
  /** The log starts over once it holds this many pages (default 16,384: 64 MiB at 4 KiB a page). */
  restartAtFrames?: number;
}

export interface Checkpointer {
  stop(): void;
}

/**
 * SQLite in WAL mode copies the log back into the database (a checkpoint) inside whichever
 * commit crosses 1,000 pages: on the connection thread that stalls every transaction behind
 * it for the copy and its fsyncs (measured: half of that thread's time under message load).
 * This moves the copying to a thread of its own with its own connection.
 *
 * A checkpoint beside a busy writer rarely finishes the whole log (the writer appends while it
 * copies), and the log only starts over after one that does: so once the log is long, the
 * worker stands aside and `checkpointInline` runs a RESTART checkpoint on the writer's
 * connection, between its transactions. It finds nearly everything copied already, has no
 * other reader or writer to wait for, and the next commit writes the log from its beginning
 * again. The file keeps its size (up to `journal_size_limit`, sqlite-worker.ts): writing over
 * a file's pages costs half what growing it does (measured on ext4: 2.3 against 4.5 µs a page),
 * and nearly all a commit costs is writing its pages to the log. If the worker fails, the
 * connection goes back to checkpointing itself, so the log never grows without bound.
 */
export function startCheckpointer(
  /** Runs a pragma on the writer's connection, between its transactions. */
  pragma: (text: string) => Promise<void>,
  file: string,
  options: {
    /** Runs `pragma wal_checkpoint(RESTART)` on the writer's connection, between transactions. */
    checkpointInline: () => Promise<void>;
    onError: (message: string) => void;
  } & CheckpointOptions,
): Checkpointer {
  const { checkpointInline, onError } = options;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      everyMs: options.everyMs ?? 200,
      restartAtFrames: options.restartAtFrames ?? DEFAULT_RESTART_AT_FRAMES,
    },
  });
  worker.unref();
  let stopping = false;
  const fallBack = (message: string) => {
    if (stopping) return;
    void pragma('wal_autocheckpoint = 1000').catch(() => undefined);
    onError(message);
  };
  worker.on('message', (m: { error?: string; restart?: boolean }) => {
    // Once stopping, the files may be gone already: what the worker says no longer matters.
    if (stopping) return;
    if (m.error) onError(`SQLite checkpoint failed: ${m.error}`);
    if (!m.restart) return;
    checkpointInline()
      .catch((err: Error) => onError(`SQLite checkpoint failed: ${err.message}`))
      .finally(() => {
        if (!stopping) worker.postMessage('resume');
      });
  });
  worker.on('error', (err) => fallBack(`SQLite checkpoint worker failed (${err.message}); checkpointing inline`));
  worker.on('exit', (code) => {
    if (code !== 0) fallBack(`SQLite checkpoint worker exited with ${code}; checkpointing inline`);
  });
  return {
    stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop');
    },
  };
}
