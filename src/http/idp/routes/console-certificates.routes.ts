/**
 * SAML Certificates: the "SAML Signing Certificate" pane (New Certificate, Make certificate active,
 * Signing Option, Signing Algorithm, Notification Email), token encryption, and the downloads
 * "Certificate (Base64)", "Certificate (Raw)" and "Federation Metadata XML".
 */
import { type Request, type Response, Router } from 'express';
import { AppError } from '../../../core/errors.js';
import {
  activateCertificateOfApp,
  addCertificateToApp,
  buildAppFederationMetadataXml,
  describeAppCertificates,
  selectAppCertificate,
} from '../../../core/idp/admin.js';
import { saveSigningSettings, saveTokenEncryptionCertificate } from '../../../core/idp/admin-console.js';
import type { EnterpriseApp } from '../../../core/idp/apps.js';
import type { Tenant } from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import { describeCertificate } from '../../../core/saml/certs.js';
import {
  buildConsolePaths,
  CERTIFICATE_FIELD_MAX,
  indexFieldErrors,
  loadConsoleApp,
  readText,
  renderConsolePage,
  selectRefusalStatus,
} from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'apps', appSection: 'sso', pageTitle: 'SAML-based Sign-on' };

const SIGNING_OPTIONS = [
  { value: 'response', label: 'Sign SAML response' },
  { value: 'assertion', label: 'Sign SAML assertion' },
  { value: 'response-and-assertion', label: 'Sign SAML response and assertion' },
];
const SIGNING_ALGORITHMS = [
  { value: 'sha256', label: 'SHA-256' },
  { value: 'sha1', label: 'SHA-1' },
];
const NOTICES: Record<string, string> = {
  added: 'New certificate added (inactive).',
  activated: 'Certificate made active.',
  saved: 'Saved.',
};

type Scope = { tenant: Tenant; app: EnterpriseApp };
type SigningForm = { signingOption: string; signingAlgorithm: string; notificationEmail: string };

function renderPane(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  form: SigningForm,
  extra: { errors?: FieldError[]; notice?: string | null } = {},
  status = 200,
): void {
  const notice = extra.notice && Object.hasOwn(NOTICES, extra.notice) ? extra.notice : null;
  renderConsolePage(
    res,
    deps,
    'saml-certificates.njk',
    scope,
    {
      ...PAGE,
      certificates: describeAppCertificates(scope.app),
      form,
      signingOptions: SIGNING_OPTIONS,
      signingAlgorithms: SIGNING_ALGORITHMS,
      notice,
      notices: NOTICES,
      errors: indexFieldErrors(extra.errors ?? []),
    },
    status,
  );
}

function renderEncryption(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  certificate: string,
  errors: FieldError[] = [],
  status = 200,
): void {
  const cert = scope.app.tokenEncryptionCertificate;
  const encryption = cert ? describeCertificate(cert) : null;
  renderConsolePage(
    res,
    deps,
    'saml-encryption.njk',
    scope,
    { ...PAGE, encryption, form: { certificate }, errors: indexFieldErrors(errors) },
    status,
  );
}

/** The file name Entra gives a download: the app's name, kept to safe characters. */
function buildDownloadName(app: EnterpriseApp, extension: string): string {
  const base = app.displayName.replace(/[^A-Za-z0-9 ._-]+/g, '_').trim() || 'application';
  return `${base.slice(0, 80)}.${extension}`;
}

function readCertParam(req: Request): string | null {
  return typeof req.query.cert === 'string' && req.query.cert !== '' ? req.query.cert.slice(0, 64) : null;
}

/** Mounts the SAML Certificates pages and downloads (under /admin). */
export function createConsoleCertificatesRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const path = '/:tenantId/apps/:appId/sso/saml';
  const panePath = (scope: Scope) => `${buildConsolePaths(scope.tenant, scope.app).appBase}/sso/saml/certificates`;
  const currentForm = (app: EnterpriseApp): SigningForm => ({
    signingOption: app.signingOption,
    signingAlgorithm: app.signingAlgorithm,
    notificationEmail: app.notificationEmail ?? '',
  });

  router.get(`${path}/certificates`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    renderPane(res, deps, scope, currentForm(scope.app), { notice: typeof req.query.notice === 'string' ? req.query.notice : null });
  });

  router.post(`${path}/certificates`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = {
      signingOption: readText(req, 'signingOption'),
      signingAlgorithm: readText(req, 'signingAlgorithm'),
      notificationEmail: readText(req, 'notificationEmail', 512),
    };
    const outcome = await saveSigningSettings(deps.ctx, scope.tenant.tenantId, scope.app.appId, form);
    if (!outcome.ok) {
      renderPane(res, deps, scope, form, { errors: outcome.errors }, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `${panePath(scope)}?notice=saved`);
  });

  router.post(`${path}/certificates/new`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    await addCertificateToApp(deps.ctx, scope.tenant.tenantId, scope.app.appId, null);
    res.redirect(303, `${panePath(scope)}?notice=added`);
  });

  router.post(`${path}/certificates/:certId/activate`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    await activateCertificateOfApp(deps.ctx, scope.tenant.tenantId, scope.app.appId, String(req.params.certId));
    res.redirect(303, `${panePath(scope)}?notice=activated`);
  });

  router.get(`${path}/encryption`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    renderEncryption(res, deps, scope, scope.app.tokenEncryptionCertificate ?? '');
  });

  router.post(`${path}/encryption`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const certificate = readText(req, 'tokenEncryptionCertificate', CERTIFICATE_FIELD_MAX);
    const outcome = await saveTokenEncryptionCertificate(deps.ctx, scope.tenant.tenantId, scope.app.appId, certificate);
    if (!outcome.ok) {
      renderEncryption(res, deps, scope, certificate, outcome.errors, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `${buildConsolePaths(scope.tenant, scope.app).appBase}/sso/saml?notice=encryption`);
  });

  // "Certificate (Base64)": PEM text; "Certificate (Raw)": the DER bytes. Both .cer, as Entra names them.
  router.get(`${path}/certificate/:format`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const format = String(req.params.format);
    if (format !== 'base64' && format !== 'raw') throw new AppError('NOT_FOUND');
    const info = describeCertificate(selectAppCertificate(scope.app, readCertParam(req)).pem);
    res.attachment(buildDownloadName(scope.app, 'cer'));
    if (format === 'base64') {
      res.status(200).type('application/x-pem-file').send(info.pem);
      return;
    }
    res.status(200).type('application/pkix-cert').send(Buffer.from(info.base64, 'base64'));
  });

  router.get(`${path}/federation-metadata.xml`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    res.attachment(buildDownloadName(scope.app, 'xml'));
    res.status(200).type('application/xml; charset=utf-8').send(buildAppFederationMetadataXml(deps.ctx, scope.app));
  });

  return router;
}
