import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../src/core/errors.js';
import { explainListenError } from '../../../src/runtime/listen-errors.js';

const systemError = (code: string) => Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen' });

describe('a refusal to listen names the port and what moves it', () => {
  test('EADDRINUSE on the SP port: PORT_IN_USE with --sp-port and its variables', () => {
    const error = explainListenError(systemError('EADDRINUSE'), 'sp', '127.0.0.1', 3000);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'PORT_IN_USE');
    assert.deepEqual(error.details, {
      role: 'sp',
      host: '127.0.0.1',
      port: 3000,
      errno: 'EADDRINUSE',
      flag: '--sp-port',
      env: ['MOCK_MIMECAST_SP_PORT', 'PORT'],
    });
  });

  test('EADDRINUSE on the IdP port names --idp-port; EACCES and EADDRNOTAVAIL are PORT_UNAVAILABLE', () => {
    const idp = explainListenError(systemError('EADDRINUSE'), 'idp', '127.0.0.1', 3001) as AppError;
    assert.deepEqual([idp.code, (idp.details as { flag: string }).flag], ['PORT_IN_USE', '--idp-port']);
    const denied = explainListenError(systemError('EACCES'), 'sp', '127.0.0.1', 80) as AppError;
    assert.deepEqual([denied.code, (denied.details as { flag: string }).flag], ['PORT_UNAVAILABLE', '--sp-port']);
    const foreign = explainListenError(systemError('EADDRNOTAVAIL'), 'idp', '10.9.9.9', 3001) as AppError;
    assert.deepEqual([foreign.code, (foreign.details as { flag: string }).flag], ['PORT_UNAVAILABLE', '--idp-host']);
  });

  test('anything else is passed on unchanged', () => {
    const other = new Error('something else');
    assert.equal(explainListenError(other, 'sp', '127.0.0.1', 3000), other);
  });
});
