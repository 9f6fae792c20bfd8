import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseConformanceExitCode } from '../../../src/cli/conformance.command.js';

describe('conformance exit code', () => {
  it('is 0 only when every case went as expected', () => {
    assert.equal(chooseConformanceExitCode({ failed: 0, hostileSignedIn: [] }), 0);
    assert.equal(chooseConformanceExitCode({ failed: 1, hostileSignedIn: [] }), 1);
    assert.equal(chooseConformanceExitCode({ failed: 0, hostileSignedIn: ['xsw3-evil-assertion-before-signed'] }), 1);
  });
});
