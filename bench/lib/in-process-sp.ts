/**
 * The harness's SP in this process, seeded as `npm start` seeds it (metadata imported from the mock
 * Entra over loopback HTTP), for benchmarks that call the ACS core directly.
 */
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SpContext } from '../../src/core/sp/context.js';
import type { Harness } from '../../src/runtime/harness.js';
import { type HarnessOverrides, startTestHarness } from '../../src/testing/harness.js';
import { BENCH_AUDIENCE, BENCH_EMAIL, type ResponseTarget, readTenantIdFromIssuer } from './responses.js';

export interface InProcessSp {
  harness: Harness;
  ctx: SpContext;
  target: ResponseTarget;
  /** The profile's trusted IdP certificates (imported from the mock Entra's metadata). */
  certificates: string[];
  close(): Promise<void>;
}

/** Starts the harness (loopback, port 0) and reads back the seeded account's profile. */
export async function startInProcessSp(overrides: HarnessOverrides = {}): Promise<InProcessSp> {
  const harness = await startTestHarness(overrides);
  try {
    const profile = await harness.sp.stores.profiles.get('CUK12A34');
    if (!profile?.issuerUrl || profile.idpCertificates.length === 0) throw new Error('the seeded profile has no imported IdP metadata');
    return {
      harness,
      ctx: harness.sp.ctx,
      target: {
        acsUrl: `${harness.spUrl}/login/saml`,
        audience: BENCH_AUDIENCE,
        tenantId: readTenantIdFromIssuer(profile.issuerUrl),
        email: BENCH_EMAIL,
      },
      certificates: profile.idpCertificates,
      close: () => harness.close(),
    };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

/**
 * One node-saml SAML instance configured as src/core/sp/node-saml-gate.ts configures its own (wall
 * clock, so node-saml's time checks run too), built once: the library's cost on its own.
 */
export function createNodeSamlBaseline(sp: InProcessSp): SAML {
  return new SAML({
    idpCert: sp.certificates,
    issuer: sp.target.audience,
    audience: sp.target.audience,
    callbackUrl: sp.target.acsUrl,
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: sp.ctx.settings.clockSkewMs,
    validateInResponseTo: ValidateInResponseTo.never,
    ...(sp.ctx.keys.encryptionKey ? { decryptionPvk: sp.ctx.keys.encryptionKey } : {}),
  });
}
