/** An app's Single sign-on › Attributes & Claims pane: the Name ID and the additional claims. */
import { type Response, Router } from 'express';
import { CLAIM_SOURCES } from '../../../core/idp/additional-claims.js';
import type { EnterpriseApp } from '../../../core/idp/apps.js';
import { NAME_ID_SOURCES } from '../../../core/idp/claims.js';
import {
  addAdditionalClaim,
  deleteAdditionalClaim,
  describeAppClaims,
  NAME_ID_FORMATS,
  saveNameIdClaim,
} from '../../../core/idp/console-claims.js';
import type { Tenant } from '../../../core/idp/directory.js';
import type { FieldError } from '../../../core/idp/field-errors.js';
import {
  buildConsolePaths,
  indexFieldErrors,
  loadConsoleApp,
  readText,
  renderConsolePage,
  selectRefusalStatus,
} from './console-support.js';
import type { IdpRouteDeps } from './idp-route-deps.js';

const PAGE = { section: 'apps', appSection: 'sso', pageTitle: 'SAML-based Sign-on' };

type Scope = { tenant: Tenant; app: EnterpriseApp };

interface ClaimForms {
  nameId: { source: string; format: string };
  newClaim?: { name: string; namespace: string; source: string };
}

function renderClaims(
  res: Response,
  deps: IdpRouteDeps,
  scope: Scope,
  forms: ClaimForms,
  extra: { errors?: FieldError[]; notice?: string | null } = {},
  status = 200,
): void {
  const sources = NAME_ID_SOURCES.map((s) => ({ value: s, label: s }));
  const claimSources = CLAIM_SOURCES.map((s) => ({ value: s, label: s }));
  const newClaim = forms.newClaim ?? { name: '', namespace: '', source: 'user.mail' };
  const data = {
    ...PAGE,
    claims: describeAppClaims(scope.app),
    form: forms.nameId,
    newClaim,
    formats: NAME_ID_FORMATS,
    sources,
    claimSources,
    errors: indexFieldErrors(extra.errors ?? []),
    notice: extra.notice ?? null,
  };
  renderConsolePage(res, deps, 'saml-claims.njk', scope, data, status);
}

function readNameIdForm(app: EnterpriseApp): ClaimForms['nameId'] {
  return { source: app.nameIdSource, format: app.nameIdFormat };
}

/** Mounts the Attributes & Claims pages (under /admin). */
export function createConsoleClaimsRouter(deps: IdpRouteDeps): Router {
  const router = Router();
  const appPath = '/:tenantId/apps/:appId/sso';
  const samlPath = (scope: Scope) => `${buildConsolePaths(scope.tenant, scope.app).appBase}/sso/saml`;

  router.get(`${appPath}/saml/claims`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const notice = typeof req.query.saved === 'string' && ['1', 'added', 'deleted'].includes(req.query.saved) ? req.query.saved : null;
    renderClaims(res, deps, scope, { nameId: readNameIdForm(scope.app) }, { notice });
  });

  router.post(`${appPath}/saml/claims`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = { source: readText(req, 'nameIdSource'), format: readText(req, 'nameIdFormat') };
    const outcome = await saveNameIdClaim(deps.ctx, scope.tenant.tenantId, scope.app.appId, form);
    if (!outcome.ok) {
      renderClaims(res, deps, scope, { nameId: form }, { errors: outcome.errors }, selectRefusalStatus(outcome.errors));
      return;
    }
    res.redirect(303, `${samlPath(scope)}/claims?saved=1`);
  });

  router.post(`${appPath}/saml/claims/additional`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    const form = {
      name: readText(req, 'claimName', 512),
      namespace: readText(req, 'claimNamespace', 512),
      source: readText(req, 'claimSource', 64),
    };
    const outcome = await addAdditionalClaim(deps.ctx, scope.tenant.tenantId, scope.app.appId, form);
    if (!outcome.ok) {
      renderClaims(
        res,
        deps,
        scope,
        { nameId: readNameIdForm(scope.app), newClaim: form },
        { errors: outcome.errors },
        selectRefusalStatus(outcome.errors),
      );
      return;
    }
    res.redirect(303, `${samlPath(scope)}/claims?saved=added`);
  });

  router.post(`${appPath}/saml/claims/additional/delete`, async (req, res) => {
    const scope = await loadConsoleApp(deps, req);
    await deleteAdditionalClaim(deps.ctx, scope.tenant.tenantId, scope.app.appId, readText(req, 'claim', 1024));
    res.redirect(303, `${samlPath(scope)}/claims?saved=deleted`);
  });
  return router;
}
