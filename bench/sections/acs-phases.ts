/**
 * Where the ACS core spends time beyond node-saml. Each phase of consumeSamlResponse is run through
 * the same exported function the ACS calls; the phases are interleaved per response (all phases on
 * response 1, then on response 2 …) so that a noisy neighbour slows every phase alike. The glue and
 * the writes are derived by subtraction and absorb what noise remains.
 */
import type { SAML } from '@node-saml/node-saml';
import { decodePostBinding } from '../../src/core/saml/bindings.js';
import { describeCertificateCached } from '../../src/core/saml/certificate-cache.js';
import { consumeSamlResponse } from '../../src/core/sp/acs.js';
import { runChecks } from '../../src/core/sp/checks/index.js';
import { buildGateInput, decryptMessage, evaluateSamlResponse, parseResponse } from '../../src/core/sp/evaluate.js';
import { resolveTarget } from '../../src/core/sp/resolve-target.js';
import { type ResponseFacts, readResponseFacts } from '../../src/core/sp/response-facts.js';
import { analyzeSignatures } from '../../src/core/sp/signature-analysis.js';
import type { InProcessSp } from '../lib/in-process-sp.js';
import type { PhaseTiming } from '../lib/report-types.js';
import { roundTo } from '../lib/stats.js';

type PhaseName =
  | 'nodeShared'
  | 'gate'
  | 'parse'
  | 'decrypt'
  | 'facts'
  | 'resolve'
  | 'signatures'
  | 'lookups'
  | 'checks'
  | 'evaluate'
  | 'consume';

/** Times every phase on `responses` (distinct, unused); the ACS phase consumes them. */
export async function measureAcsPhases(sp: InProcessSp, saml: SAML, responses: readonly string[]): Promise<PhaseTiming[]> {
  const { ctx, certificates: certs } = sp;
  const { stores, settings } = ctx;
  const max = settings.maxSamlBytes;
  const key = ctx.keys.encryptionKey;
  const env = {
    clockFrozen: false,
    validation: settings,
    decryptionKey: key,
    gate: ctx.nodeSamlGate,
    resolve: (facts: ResponseFacts) => resolveTarget(stores, settings, facts, null, ctx.clock.now()),
    findPending: (id: string) => stores.pending.get(id),
    isReplay: (id: string) => stores.replay.has(id),
    findUser: (code: string, email: string) => stores.directory.find(code, email),
  };
  const totals = new Map<PhaseName, number>();
  const time = async <T>(name: PhaseName, fn: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await fn();
    totals.set(name, (totals.get(name) ?? 0) + performance.now() - start);
    return value;
  };

  for (const response of responses) {
    await time('nodeShared', () => saml.validatePostResponseAsync({ SAMLResponse: response }));
    const xml = decodePostBinding(response, max);
    const parsed = await time('parse', () => parseResponse(decodePostBinding(response, max), max));
    if (!('doc' in parsed)) throw new Error('the bench generated a response the SP cannot parse');
    const { doc } = parsed;
    const decrypted = await time('decrypt', () => decryptMessage(doc, key, max));
    const facts = await time('facts', () => readResponseFacts(doc));
    const target = await time('resolve', () => resolveTarget(stores, settings, facts, null, ctx.clock.now()));
    const signatures = await time('signatures', () =>
      analyzeSignatures(
        { received: doc, consumed: facts.assertion?.element ?? null, plaintext: decrypted.plaintext },
        certs.map(describeCertificateCached),
      ),
    );
    const gateInput = buildGateInput(xml, doc, decrypted, target, { ...env, now: ctx.clock.now() });
    if (!gateInput) throw new Error('the bench SP has no certificates to give node-saml');
    const nodeSaml = await time('gate', () => ctx.nodeSamlGate.validate(gateInput));
    const nameId = facts.assertion?.nameId?.value ?? '';
    const [replaySeen, directoryUser] = await time('lookups', () =>
      Promise.all([stores.replay.has(facts.assertion?.id ?? ''), stores.directory.find('CUK12A34', nameId)]),
    );
    await time('checks', () =>
      runChecks({
        now: ctx.clock.now(),
        skewMs: settings.clockSkewMs,
        refuseSha1: settings.refuseSha1,
        facts,
        account: target.account,
        profile: target.profile,
        resolvedBy: target.resolvedBy,
        audiences: target.audiences,
        acsUrls: target.acsUrls,
        signatures,
        pending: null,
        replaySeen,
        directoryUser,
        nodeSaml,
        encrypted: decrypted.report,
      }),
    );
    await time('evaluate', () => evaluateSamlResponse(response, { ...env, now: ctx.clock.now() }));
    await time('consume', () => consumeSamlResponse(ctx, { samlResponse: response, relayState: null }));
  }

  const us = (name: PhaseName) => ((totals.get(name) ?? 0) * 1000) / responses.length;
  const counted = us('gate') + us('parse') + us('decrypt') + us('facts') + us('resolve') + us('signatures') + us('lookups') + us('checks');
  const row = (phase: string, value: number, note: string): PhaseTiming => ({ phase, microsPerResponse: roundTo(value, 0), note });
  return [
    row('node-saml validate, one shared SAML instance', us('nodeShared'), 'the baseline of section 1'),
    row('node-saml gate as the ACS runs it', us('gate'), 'the second gate: node-saml parsing and verifying on its own'),
    row('decode + safe XML parse', us('parse'), "parseResponse: the SP's one parse, with its depth and width limits"),
    row('encrypted-content shape + decryption', us('decrypt'), 'decryptMessage on an unencrypted response: the shape scan'),
    row('read response facts', us('facts'), 'readResponseFacts on the parsed document'),
    row('resolve account + profile (store)', us('resolve'), 'resolveTarget: accounts.get + profiles.get'),
    row('SP signature verification', us('signatures'), 'analyzeSignatures: reference, transforms, SignatureValue, digest — by the SP'),
    row('replay + directory lookups (store)', us('lookups'), 'replay.has + directory.find'),
    row('run all checks', us('checks'), 'runChecks on the precomputed context'),
    row('glue (derived)', us('evaluate') - counted, 'evaluateSamlResponse minus the rows above (noise lands here)'),
    row('evaluateSamlResponse total', us('evaluate'), 'every check, no writes'),
    row('SP own work (derived)', us('evaluate') - us('gate'), 'evaluateSamlResponse without the node-saml gate'),
    row('trace + replay writes, session (derived)', us('consume') - us('evaluate'), 'consumeSamlResponse minus evaluate'),
    row('consumeSamlResponse total (ACS core)', us('consume'), 'what section 1 times'),
  ];
}
