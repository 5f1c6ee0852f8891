import { Writable } from 'node:stream';
import { LOG_REDACT } from '@parley/server';
import pino, { type Logger } from 'pino';

/** A real pino logger (with the server's redaction) whose JSON lines the test can read. */
export function capturedLogger(level = 'debug'): {
  logger: Logger;
  lines(): Record<string, unknown>[];
  text(): string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level, redact: LOG_REDACT }, stream);
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
