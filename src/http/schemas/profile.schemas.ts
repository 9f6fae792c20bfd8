import { z } from 'zod';

/** http(s) only: these are addresses a browser or this server will open. */
function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

const httpUrlSchema = z.string().trim().max(2048).refine(isHttpUrl, 'must be an http(s) URL');

/** An entity ID may be a URL (Entra) or a URN (some other IdPs), so any absolute URI is accepted. */
const issuerSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1024)
  .refine((v) => URL.canParse(v), 'must be an absolute URI such as https://sts.windows.net/<tenant-id>/');

/**
 * PUT /api/accounts/:code/profile: the editable fields of the authentication profile, labelled as in
 * the Administration Console. Fields left out keep their current value (or Mimecast's default when
 * the profile is new).
 */
export const profileFieldsSchema = z.strictObject({
  description: z.string().trim().max(200).optional(),
  enforceAdminConsole: z.boolean().optional(),
  enforcePersonalPortal: z.boolean().optional(),
  enforceEndUserApps: z.boolean().optional(),
  provider: z.enum(['entra', 'okta', 'other'], { error: 'must be one of entra, okta, other' }).optional(),
  metadataUrl: httpUrlSchema.nullable().optional(),
  monitorMetadataUrl: z.boolean().optional(),
  issuerUrl: issuerSchema.nullable().optional(),
  loginUrl: httpUrlSchema.nullable().optional(),
  logoutUrl: httpUrlSchema.nullable().optional(),
  idpCertificates: z.array(z.string().max(20_000)).max(10).optional(),
  usePasswordProtectedContext: z.boolean().optional(),
  useIntegratedAuthContext: z.boolean().optional(),
  allowSingleSignOn: z.boolean().optional(),
  requestBinding: z.enum(['post', 'redirect'], { error: 'must be post or redirect' }).optional(),
  trustedMetadataCertificates: z.enum(['all', 'first'], { error: 'must be all or first' }).optional(),
  acceptEncryptedAssertions: z.boolean().optional(),
});

/** POST …/profile/import-metadata: the Metadata URL, or the Federation Metadata XML pasted in. */
export const importMetadataSchema = z
  .strictObject({
    url: z.string().trim().min(1, 'must not be empty').max(2048).optional(),
    xml: z.string().min(1, 'must not be empty').max(1_000_000).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.url === undefined) === (value.xml === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'send exactly one of url or xml' });
    }
  })
  .transform((value): { url: string } | { xml: string } => (value.url !== undefined ? { url: value.url } : { xml: value.xml ?? '' }));
