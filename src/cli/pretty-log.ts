/**
 * Logs for a person at a terminal: one readable line per event instead of pino's JSON, which stays the
 * format whenever stdout is a file, a pipe or a log collector. A few lines of our own rather than
 * pino-pretty: the harness logs flat objects, and this needs no worker thread and no dependency.
 */
import { type Logger, pino } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every pino line has, shown in the line's head rather than as key=value. */
const HEAD_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** Where logs go: anything with write(); `isTTY` tells a terminal from a file or a pipe. */
export interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * One pino JSON line as `10:00:01.234 INFO  message key=value …`; an access-log line reads
 * `POST /login/saml 303 12 ms`. An error's stack follows on its own lines. Text that is not a pino line is
 * passed through unchanged.
 */
export function formatLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.replace(/\n?$/, '\n');
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const fields = { ...record };
  let message = String(record.msg ?? '');
  if (message === 'request' && typeof record.method === 'string') {
    message = `${record.method} ${String(record.path)} ${String(record.status)} ${String(record.ms)} ms`;
    for (const key of ['method', 'path', 'status', 'ms']) delete fields[key];
  }
  const err = record.err as { message?: unknown; stack?: unknown } | undefined;
  delete fields.err;
  const rest = Object.entries(fields)
    .filter(([key]) => !HEAD_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const head = [time, level, message, ...rest].filter((part) => part !== '').join(' ');
  const stack = err === undefined ? '' : `\n${typeof err.stack === 'string' ? err.stack : String(err.message)}`;
  return `${head}${stack}\n`;
}

/** A pino destination that writes each line through formatLogLine. */
export function createPrettyDestination(out: LogStream): { write(line: string): void } {
  return {
    write(line: string) {
      out.write(formatLogLine(line.trimEnd()));
    },
  };
}

/**
 * The CLI's logger: readable lines on a terminal, JSON otherwise (pino's own fast stdout writer unless
 * `out` is given); cookies and credentials never logged.
 */
export function createCliLogger(level: string, out?: LogStream): Logger {
  const options = { level, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  const target = out ?? process.stdout;
  if (target.isTTY === true) return pino(options, createPrettyDestination(target));
  return out === undefined ? pino(options) : pino(options, out as unknown as NodeJS.WritableStream);
}
