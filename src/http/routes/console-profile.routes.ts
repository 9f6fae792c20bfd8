import { type Request, type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import type { Finding } from '../../core/saml/types.js';
import { buildDefaultProfile, isSamlEnforced, PROVIDER_LABELS } from '../../core/sp/accounts.js';
import { describeCertificateRows, saveProfileFields } from '../../core/sp/admin.js';
import { readPendingApplyTime } from '../../core/sp/profile-apply.js';
import { previewMetadataImport } from '../../core/sp/profile-import.js';
import { createCsrfRequirement, ensureCsrfToken } from '../middleware/csrf.middleware.js';
import { type FieldErrors, toFieldError } from '../schemas/console-form.js';
import {
  joinCertificates,
  type ProfileFormValues,
  parseProfileForm,
  readProfileForm,
  splitCertificateText,
  toProfileFormValues,
} from '../schemas/console-profile.schemas.js';
import { dropUndefined } from '../schemas/validate.js';
import { loadConsoleFrame, renderConsolePage } from './console-account.routes.js';
import { summariseProfile } from './home.routes.js';
import { type RouteDeps, readParam } from './route-deps.js';

/** What the form page shows besides the values: problems, Import's findings, whether Import just ran. */
interface FormExtras {
  errors?: FieldErrors;
  findings?: Finding[];
  imported?: boolean;
}

/** The list's "Enforce SAML" column: which parts of Mimecast the profile sends through SAML. */
function listEnforcedAreas(profile: {
  enforceAdminConsole: boolean;
  enforcePersonalPortal: boolean;
  enforceEndUserApps: boolean;
}): string[] {
  return [
    ...(profile.enforceAdminConsole ? ['Administration Console'] : []),
    ...(profile.enforcePersonalPortal ? ['Mimecast Personal Portal'] : []),
    ...(profile.enforceEndUserApps ? ['End User Applications'] : []),
  ];
}

/**
 * Administration › Services › Applications › Authentication Profiles: the list (one profile per
 * account here), the form, "Save and Exit", and "Metadata URL › Import", which fills the form in place
 * and saves nothing (as in Mimecast: Import fills the fields, Save and Exit stores them).
 */
export function createConsoleProfileRouter(deps: RouteDeps): Router {
  const { ctx, consoleGuard } = deps;
  // Every POST here needs the page's form token, even from a session that holds nothing else: on
  // loopback the console has no sign-in, so an empty session must not let a forged form in.
  const requireFormToken = createCsrfRequirement();
  const router = Router();

  /** Draws the form with `values` as typed, and the certificate table for whatever the box holds. */
  async function renderForm(req: Request, res: Response, values: ProfileFormValues, extras: FormExtras, status = 200): Promise<void> {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const stored = await ctx.stores.profiles.get(frame.account.code);
    ensureCsrfToken(req, res);
    renderConsolePage(
      res,
      deps,
      'console-profile-form.njk',
      {
        frame,
        section: 'authentication-profiles',
        trail: [{ label: stored === null ? 'New Authentication Profile' : values.description || 'Authentication Profile' }],
        isNew: stored === null,
        values,
        errors: extras.errors ?? {},
        findings: extras.findings ?? [],
        imported: extras.imported ?? false,
        certificates: describeCertificateRows(splitCertificateText(values.idpCertificates), ctx.clock.now()),
        providers: Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label })),
      },
      status,
    );
  }

  router.get('/accounts/:code/authentication-profiles', consoleGuard, async (req, res) => {
    const frame = await loadConsoleFrame(ctx, readParam(req.params.code));
    const profile = await ctx.stores.profiles.get(frame.account.code);
    renderConsolePage(res, deps, 'console-profiles.njk', {
      frame,
      section: 'authentication-profiles',
      profile,
      enforced: profile === null ? [] : listEnforcedAreas(profile),
      samlEnforced: profile !== null && isSamlEnforced(profile),
      providerLabel: profile === null ? null : PROVIDER_LABELS[profile.provider],
      profileState: summariseProfile(profile),
      pendingAppliesAt: readPendingApplyTime(profile, ctx.clock.now()),
      saved: req.query.saved === '1',
    });
    return;
  });

  router.get('/accounts/:code/authentication-profiles/profile', consoleGuard, async (req, res) => {
    const code = readParam(req.params.code);
    const stored = await ctx.stores.profiles.get(code);
    await renderForm(req, res, toProfileFormValues(stored ?? buildDefaultProfile(code, ctx.clock.now())), {});
    return;
  });

  router.post('/accounts/:code/authentication-profiles/profile', consoleGuard, requireFormToken, async (req, res) => {
    const code = readParam(req.params.code);
    const values = readProfileForm(req.body);
    const parsed = parseProfileForm(values);
    if (!parsed.ok) {
      await renderForm(req, res, values, { errors: parsed.errors }, 400);
      return;
    }
    try {
      await saveProfileFields(ctx, code, dropUndefined(parsed.value));
    } catch (err) {
      // A certificate that is not one is refused by the save; shown beside the certificate box.
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      const first = (err.details as { path: string; problem: string }[] | undefined)?.[0];
      const message = first === undefined ? err.message : `${err.message} (entry ${readEntryNumber(first.path)}: ${first.problem})`;
      await renderForm(req, res, values, { errors: { idpCertificates: { code: err.code, message, hint: err.hint } } }, 400);
      return;
    }
    res.redirect(303, `/accounts/${encodeURIComponent(code)}/authentication-profiles?saved=1`);
    return;
  });

  router.post('/accounts/:code/authentication-profiles/profile/import', consoleGuard, requireFormToken, async (req, res) => {
    const values = readProfileForm(req.body);
    let preview: Awaited<ReturnType<typeof previewMetadataImport>>;
    try {
      preview = await previewMetadataImport(ctx, readParam(req.params.code), values.metadataUrl);
    } catch (err) {
      // Unreachable, refused, not metadata …: beside the Metadata URL with the fix; nothing typed is lost.
      if (!(err instanceof AppError) || err.status >= 500 || err.code === 'ACCOUNT_NOT_FOUND') throw err;
      await renderForm(req, res, values, { errors: { metadataUrl: toFieldError(err) } }, err.status);
      return;
    }
    const filled: ProfileFormValues = {
      ...values,
      metadataUrl: preview.metadataUrl,
      issuerUrl: preview.issuerUrl ?? '',
      loginUrl: preview.loginUrl ?? '',
      logoutUrl: preview.logoutUrl ?? '',
      idpCertificates: joinCertificates(preview.idpCertificates),
    };
    await renderForm(req, res, filled, { findings: preview.findings, imported: true });
    return;
  });

  return router;
}

/** "idpCertificates[1]" → 2, as a person counts the entries in the box. */
function readEntryNumber(path: string): number {
  const index = /\[(\d+)\]/.exec(path)?.[1];
  return index === undefined ? 1 : Number(index) + 1;
}
