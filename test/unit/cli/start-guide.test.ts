/** The banner `start` prints: it describes only what exists, for every seed mode. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildStartGuide } from '../../../src/cli/start-guide.js';
import { SEED } from '../../../src/runtime/seed.js';

type GuideInput = Parameters<typeof buildStartGuide>[0];

function harnessWith(walkthrough: Partial<GuideInput['walkthrough']>, idpUrl: string | null = 'http://127.0.0.1:3001'): GuideInput {
  return {
    spUrl: 'http://127.0.0.1:3000',
    idpUrl,
    tls: null,
    walkthrough: {
      mode: 'ready',
      beforeTutorialTenantId: null,
      spSeeded: true,
      idp: null,
      importFindings: null,
      keptEdits: [],
      ...walkthrough,
    },
  };
}

describe('start guide', () => {
  test('--no-seed on an empty database names no seeded account and says how to create one', () => {
    const text = buildStartGuide(harnessWith({ mode: 'none', spSeeded: false })).join('\n');
    assert.doesNotMatch(text, new RegExp(SEED.accountCode));
    assert.match(text, /POST http:\/\/127\.0\.0\.1:3000\/api\/accounts/);
    assert.match(text, /api\/tenants/);
  });

  test('--no-seed with --no-idp points at a real tenant instead of the mock Entra', () => {
    const text = buildStartGuide(harnessWith({ mode: 'none', spSeeded: false }, null)).join('\n');
    assert.doesNotMatch(text, /api\/tenants/);
    assert.doesNotMatch(text, new RegExp(SEED.accountCode));
  });

  test('a ready seed with --no-idp gives the seeded account values to configure a real Entra app', () => {
    const text = buildStartGuide(harnessWith({ mode: 'ready' }, null)).join('\n');
    assert.match(text, new RegExp(`Account ${SEED.accountCode} \\(${SEED.region}\\)`));
    assert.match(text, /import-metadata/);
  });
});
