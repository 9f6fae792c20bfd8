/**
 * zod schemas of the mock Entra's JSON API bodies (strict: unknown fields are refused).
 */
import { z } from 'zod';
import {
  type AdditionalClaim,
  CLAIM_SOURCES,
  type ClaimSource,
  MAX_ADDITIONAL_CLAIMS,
  validateNewClaim,
} from '../../core/idp/additional-claims.js';
import { NAME_ID_SOURCES, type NameIdSource } from '../../core/idp/claims.js';
import { AUTH_METHODS, type AuthMethod } from '../../core/idp/directory.js';
import { isDomainName, MAX_DOMAIN_LENGTH } from '../../core/saml/email-address.js';

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
// zod runs every check even after one failed, unless it aborts: the length is bounded before the scan.
const domain = z.string().trim().min(3).max(MAX_DOMAIN_LENGTH, { abort: true }).refine(isDomainName, 'must be a domain name');

export const newTenantSchema = z.strictObject({
  name: domain,
  tenantId: guid.optional(),
  verifiedDomains: z.array(domain).max(50).optional(),
});

export const newUserSchema = z.strictObject({
  /** Only bounded here: createUser applies the console's rule (IDP_UPN_INVALID) to every caller. */
  userPrincipalName: z.string().trim().min(1).max(256),
  displayName: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(256),
  mail: z.string().trim().max(256).nullable().optional(),
  givenName: z.string().trim().max(64).optional(),
  surname: z.string().trim().max(64).optional(),
  authMethod: z.enum(AUTH_METHODS as readonly AuthMethod[] as [AuthMethod, ...AuthMethod[]]).optional(),
  objectId: guid.optional(),
  /** "Require this user to change password at next sign-in". */
  passwordIsTemporary: z.boolean().optional(),
});

/** Attributes & Claims › Additional claims, the whole list; each entry by the console's rules. */
const additionalClaims = z
  .array(
    z.strictObject({
      name: z.string().max(256),
      namespace: z.string().max(256).default(''),
      source: z.enum(CLAIM_SOURCES as [ClaimSource, ...ClaimSource[]]),
    }),
  )
  .max(MAX_ADDITIONAL_CLAIMS)
  .superRefine((claims, issues) => {
    const accepted: AdditionalClaim[] = [];
    claims.forEach((claim, index) => {
      for (const error of validateNewClaim(claim, accepted))
        issues.addIssue({ code: 'custom', path: [index, error.field === 'claimNamespace' ? 'namespace' : 'name'], message: error.message });
      accepted.push({ name: claim.name.trim(), namespace: claim.namespace.trim(), source: claim.source });
    });
  })
  .transform((claims) => claims.map((c) => ({ name: c.name.trim(), namespace: c.namespace.trim(), source: c.source })));

/** Basic SAML Configuration, signing and claims: what PATCH may change. */
export const appSettingsSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(256).optional(),
  identifiers: z.array(z.string().trim().min(1).max(2048)).max(50).optional(),
  replyUrls: z.array(httpUrl).max(50).optional(),
  defaultReplyUrl: httpUrl.nullable().optional(),
  signOnUrl: httpUrl.nullable().optional(),
  relayState: z.string().max(2048).nullable().optional(),
  logoutUrl: httpUrl.nullable().optional(),
  signingOption: z.enum(['assertion', 'response', 'response-and-assertion']).optional(),
  signingAlgorithm: z.enum(['sha256', 'sha1']).optional(),
  nameIdSource: z.enum(NAME_ID_SOURCES as [NameIdSource, ...NameIdSource[]]).optional(),
  nameIdFormat: z.string().trim().min(1).max(256).optional(),
  additionalClaims: additionalClaims.optional(),
  /** PEM (or bare base64) of the SP's encryption certificate; null turns token encryption off. */
  tokenEncryptionCertificate: z.string().max(16384).nullable().optional(),
  assignmentRequired: z.boolean().optional(),
  enabledForSignIn: z.boolean().optional(),
  visibleToUsers: z.boolean().optional(),
});

export const newAppSchema = appSettingsSchema.extend({
  template: z.literal('mimecast'),
  appId: guid.optional(),
});

export const assignmentSchema = z.strictObject({ userPrincipalName: z.string().trim().min(3).max(256) });

/** A new certificate: given as PEM pair, or `{}` to generate a test one. */
export const newCertificateSchema = z
  .strictObject({
    pem: z.string().max(16384).optional(),
    keyPem: z.string().max(16384).optional(),
  })
  .refine((v) => (v.pem === undefined) === (v.keyPem === undefined), 'give both pem and keyPem, or neither');
