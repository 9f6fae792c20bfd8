import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCaseKit } from '../../../src/conformance/case-kit.js';
import { conformanceCases, selectCases } from '../../../src/conformance/cases/index.js';
import { errorCodes } from '../../../src/core/errors.js';
import { readKeyPair, readSpKeys } from '../../../src/runtime/keys.js';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9_]+)*$/;

describe('conformance case catalogue', () => {
  it('has at least 40 cases with unique kebab-case ids', () => {
    assert.ok(conformanceCases.length >= 40, `only ${conformanceCases.length} cases`);
    const ids = conformanceCases.map((c) => c.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    assert.deepEqual(
      ids.filter((id) => !KEBAB.test(id)),
      [],
    );
  });

  it('gives every refused case a catalogue code and no accepted case one', () => {
    const known = new Set<string>(errorCodes);
    for (const c of conformanceCases) {
      if (c.expected === 'refused') assert.ok(c.expectedCode && known.has(c.expectedCode), `${c.id}: ${c.expectedCode}`);
      else assert.equal(c.expectedCode, undefined, c.id);
    }
    assert.ok(conformanceCases.filter((c) => c.id.startsWith('control-') && c.expected === 'accepted').length >= 3);
  });

  it('covers the eight wrapping shapes and the named CVEs', () => {
    const references = conformanceCases.map((c) => c.reference).join('\n');
    for (let n = 1; n <= 8; n += 1) assert.match(references, new RegExp(`\\bXSW${n}\\b`));
    for (const ref of ['CVE-2025-29775', 'CVE-2025-29774', 'CVE-2017-11427']) assert.ok(references.includes(ref), ref);
  });

  it('selects by id or reference, case-insensitively', () => {
    assert.equal(selectCases().length, conformanceCases.length);
    assert.deepEqual(
      selectCases('cve-2025').map((c) => c.id),
      ['digest-value-comment', 'two-signed-info'],
    );
    assert.ok(selectCases('XSW').length >= 8);
    assert.deepEqual(selectCases('no-such-case'), []);
  });

  it('builds a message for every case', async () => {
    const kit = buildCaseKit({
      publicBaseUrl: 'http://127.0.0.1:9',
      idp: readKeyPair('idp-signing-1'),
      attacker: readKeyPair('idp-signing-2'),
      spEncryptionCert: readSpKeys().encryptionCert,
    });
    for (const c of conformanceCases) {
      const plan = await c.build(kit);
      assert.equal(typeof plan.samlResponse, 'string', c.id);
    }
  });
});
