import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCliLogger, formatLogLine } from '../../../src/cli/pretty-log.js';

function collect(isTTY: boolean): { stream: { isTTY: boolean; write(text: string): boolean }; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    stream: {
      isTTY,
      write(text: string) {
        lines.push(...text.split('\n').filter((l) => l !== ''));
        return true;
      },
    },
  };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

describe('CLI logs', () => {
  test('on a terminal: one readable line per event, not JSON, with the level, message and fields', () => {
    const { stream, lines } = collect(true);
    const logger = createCliLogger('info', stream);
    logger.info({ accountCode: 'CUK12A34' }, 'metadata monitor: profile updated');
    logger.debug('hidden at info');
    assert.equal(lines.length, 1);
    const [line = ''] = lines;
    assert.equal(isJson(line), false);
    assert.match(line, /^\d\d:\d\d:\d\d\.\d{3} INFO /);
    assert.ok(line.includes('metadata monitor: profile updated'));
    assert.ok(line.includes('accountCode=CUK12A34'));
  });

  test('anywhere else (file, pipe, collector): pino JSON lines', () => {
    const { stream, lines } = collect(false);
    const logger = createCliLogger('warn', stream);
    logger.info('hidden at warn');
    logger.warn({ code: 'METADATA_TIMEOUT' }, 'metadata monitor: fetch failed, profile unchanged');
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] ?? '') as { level: number; code: string };
    assert.deepEqual([record.level, record.code], [40, 'METADATA_TIMEOUT']);
  });

  test('an access-log line reads method, path, status and time; an error keeps its stack', () => {
    const request = formatLogLine(
      JSON.stringify({
        level: 30,
        time: 0,
        pid: 1,
        hostname: 'h',
        requestId: 'r1',
        method: 'POST',
        path: '/login/saml',
        status: 303,
        ms: 12,
        msg: 'request',
      }),
    );
    assert.equal(request, '00:00:00.000 INFO  POST /login/saml 303 12 ms requestId=r1\n');
    const failure = formatLogLine(
      JSON.stringify({ level: 50, time: 0, msg: 'unhandled error', err: { message: 'boom', stack: 'Error: boom\n    at x' } }),
    );
    assert.deepEqual(failure.split('\n'), ['00:00:00.000 ERROR unhandled error', 'Error: boom', '    at x', '']);
  });
});
