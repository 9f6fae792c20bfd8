/**
 * An app's Single sign-on: "Select a single sign-on method", "Set up Single Sign-On with SAML" and
 * its Basic SAML Configuration pane (with "Upload metadata file"), and the "Test" button.
 */
import { type Request, type Response, Router } from 'express';
import { describeAppCertificates, describeAppEndpoints } from '../../../core/idp/admin.js';
import { saveBasicSamlConfiguration } from '../../../core/idp/admin-console.js';
import { decideLaunchTarget, type EnterpriseApp, isBasicSamlConfigured } from '../../../core/idp/apps.js';
import { type BasicSamlForm, buildBasicSamlForm } from '../../../core/idp/basic-saml.js';
import { describeAppClaims } from '../../../core/idp/console-claims.js';
import type { Tenant } from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import { applySpMetadataToForm, METADATA_FILE_FIELD, readSpMetadataUpload } from '../../../core/idp/sp-metadata-upload.js';
import { describeCertificate } from '../../../core/saml/certs.js';
import { readUploadedFile } from '../console-multipart.js';
import { requestFreshSignIn } from '../idp-session.js';
import {
  buildConsolePaths,
  indexFieldErrors,
  loadConsoleApp,
  readRow,
  readText,
  readTexts,
  renderConsolePage,
  selectRefusalStatus,
} from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'apps', appSection: 'sso', pageTitle: 'SAML-based Sign-on' };

type Scope = { tenant: Tenant; app: EnterpriseApp };

function readBasicForm(req: Request): BasicSamlForm {
  return {
    identifiers: readTexts(req, 'identifier'),
    defaultIdentifier: readRow(req, 'defaultIdentifier'),
    replyUrls: readTexts(req, 'replyUrl'),
    defaultReplyUrl: readRow(req, 'defaultReplyUrl'),
    signOnUrl: readText(req, 'signOnUrl'),
    relayState: readText(req, 'relayState'),
    logoutUrl: readText(req, 'logoutUrl'),
  };
}

/** Removes a row, keeping the default radio on the same value (or the first row when it was removed). */
function removeRow(rows: string[], defaultRow: number, row: number): { rows: string[]; defaultRow: number } {
  if (row >= rows.length) return { rows, defaultRow };
  const next = rows.filter((_, i) => i !== row);
  return { rows: next, defaultRow: defaultRow === row ? 0 : defaultRow > row ? defaultRow - 1 : defaultRow };
}

/**
 * The "Add identifier" / "Add reply URL" / "Delete" buttons: they change the rows and show the form
 * again without saving, so they work without JavaScript. Null for "Save".
 */
function applyRowAction(form: BasicSamlForm, action: string): BasicSamlForm | null {
  if (action === 'add-identifier') return { ...form, identifiers: [...form.identifiers, ''] };
  if (action === 'add-reply-url') return { ...form, replyUrls: [...form.replyUrls, ''] };
  const removal = /^remove-(identifier|reply-url)-(\d{1,2})$/.exec(action);
  if (removal === null) return null;
  const row = Number(removal[2]);
  if (removal[1] === 'identifier') {
    const r = removeRow(form.identifiers, form.defaultIdentifier, row);
    return { ...form, identifiers: r.rows, defaultIdentifier: r.defaultRow };
  }
  const r = removeRow(form.replyUrls, form.defaultReplyUrl, row);
  return { ...form, replyUrls: r.rows, defaultReplyUrl: r.defaultRow };
}

/** An empty list still shows one row to type into. */
function padRows(form: BasicSamlForm): BasicSamlForm {
  return {
    ...form,
    identifiers: form.identifiers.length > 0 ? form.identifiers : [''],
    replyUrls: form.replyUrls.length > 0 ? form.replyUrls : [''],
  };
}

function renderBasicForm(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  form: BasicSamlForm,
  errors: FieldError[] = [],
  status = 200,
  extra: Record<string, unknown> = {},
): void {
  renderConsolePage(
    res,
    deps,
    'saml-basic.njk',
    scope,
    { ...PAGE, form: padRows(form), errors: indexFieldErrors(errors), errorCount: errors.length, ...extra },
    status,
  );
}

function describeEncryption(app: EnterpriseApp): { thumbprint: string; notAfter: string } | null {
  if (!app.tokenEncryptionCertificate) return null;
  const info = describeCertificate(app.tokenEncryptionCertificate);
  return { thumbprint: info.thumbprint, notAfter: info.notAfter };
}

/** Mounts the Single sign-on pages (under /admin). */
export function createConsoleSamlRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const appPath = '/:tenantId/apps/:appId/sso';
  const samlPath = (scope: Scope) => `${buildConsolePaths(scope.tenant, scope.app).appBase}/sso/saml`;

  // Once SAML is set up, Entra opens it directly; the method picker stays one link away.
  router.get(appPath, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    if (isBasicSamlConfigured(scope.app) && req.query.select !== '1') {
      res.redirect(303, samlPath(scope));
      return;
    }
    renderConsolePage(res, deps, 'sso-select.njk', scope, { ...PAGE, pageTitle: 'Single sign-on' });
  });

  router.get(`${appPath}/saml`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const certificates = describeAppCertificates(scope.app);
    renderConsolePage(res, deps, 'saml-setup.njk', scope, {
      ...PAGE,
      notice: typeof req.query.notice === 'string' ? req.query.notice.slice(0, 20) : null,
      claims: describeAppClaims(scope.app),
      activeCert: certificates[0] ?? null,
      encryption: describeEncryption(scope.app),
      endpoints: describeAppEndpoints(deps.ctx, scope.app),
      configured: isBasicSamlConfigured(scope.app),
      launch: decideLaunchTarget(scope.app),
    });
  });

  router.get(`${appPath}/saml/basic`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    renderBasicForm(res, deps, scope, buildBasicSamlForm(scope.app));
  });

  router.post(`${appPath}/saml/basic`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = readBasicForm(req);
    const edited = applyRowAction(form, readText(req, 'action'));
    if (edited !== null) {
      renderBasicForm(res, deps, scope, edited);
      return;
    }
    const outcome = await saveBasicSamlConfiguration(deps.ctx, scope.tenant.tenantId, scope.app.appId, form);
    if (!outcome.ok) {
      renderBasicForm(res, deps, scope, form, outcome.errors, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `${samlPath(scope)}?notice=basic`);
  });

  // "Upload metadata file": the SP's metadata fills Identifier and Reply URL for review; nothing is saved.
  // From the pane the typed values are kept (basicForm=1); from the set-up page the saved ones are the base.
  router.post(`${appPath}/saml/basic/upload`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = readText(req, 'basicForm') === '1' ? readBasicForm(req) : buildBasicSamlForm(scope.app);
    const file = readUploadedFile(req, METADATA_FILE_FIELD);
    const outcome = readSpMetadataUpload(file?.bytes ?? null);
    if (!outcome.ok) {
      renderBasicForm(res, deps, scope, form, [outcome.error], 400);
      return;
    }
    const uploaded = { filename: file?.filename ?? '', ...outcome.value };
    renderBasicForm(res, deps, scope, applySpMetadataToForm(form, outcome.value), [], 200, { uploaded });
  });

  // "Test": the "Test single sign-on" pane; greyed (so back to the page) until Basic SAML Configuration is saved.
  router.get(`${appPath}/saml/test`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    if (!isBasicSamlConfigured(scope.app)) {
      res.redirect(303, samlPath(scope));
      return;
    }
    renderConsolePage(res, deps, 'saml-test.njk', scope, { ...PAGE, launch: decideLaunchTarget(scope.app) });
  });

  // "Test sign in": SP mode goes to the Sign on URL, IdP mode signs in at once. "Someone else" makes this
  // browser's next sign-in at the mock Entra ask for credentials even when it is signed in.
  router.post(`${appPath}/saml/test`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    if (!isBasicSamlConfigured(scope.app)) {
      res.redirect(303, samlPath(scope));
      return;
    }
    if (readText(req, 'as', 32) === 'someone-else') requestFreshSignIn(req);
    res.redirect(303, decideLaunchTarget(scope.app).url);
  });

  return router;
}
