/**
 * The mock Entra's pages: its own nunjucks environment (autoescape on) and the Entra error page.
 */
import { fileURLToPath } from 'node:url';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import type { AppError } from '../../core/errors.js';
import { readAadstsNumber } from '../../core/idp/aadsts.js';
import type { IdpContext } from '../../core/idp/idp-context.js';
import type { SignInAttemptIds } from '../../core/idp/sign-in-log.js';

const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));

/** Folder served under /static by the IdP app. */
export const IDP_STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/** One environment per app, so two apps in a process share no loader or cache. */
export function createIdpViewEnvironment(): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
}

/** Renders a page with the CSP nonce and request id from res.locals. */
export function renderIdpPage(res: Response, env: nunjucks.Environment, view: string, data: Record<string, unknown>, status = 200): void {
  res
    .status(status)
    .type('html')
    .send(env.render(view, { ...res.locals, ...data }));
}

/** Keeps the ids the sign-in logs recorded for this request's attempt, for the error page to show. */
export function keepSignInAttemptIds(res: Response, ids: SignInAttemptIds | null): void {
  if (ids !== null) res.locals.signInAttempt = ids;
}

/**
 * Entra's error page: "Sorry, but we’re having trouble signing you in.", the AADSTS line and the
 * Troubleshooting details (Request Id, Correlation Id, Timestamp, Message). When the attempt was
 * recorded in the sign-in logs, the page shows the ids the log keeps; otherwise (no tenant to log
 * to) it makes its own.
 */
export function renderEntraErrorPage(res: Response, env: nunjucks.Environment, ctx: IdpContext, error: AppError): void {
  const aadsts = readAadstsNumber(error.code);
  const message = aadsts === null ? error.message : `AADSTS${aadsts}: ${error.message}`;
  const recorded = res.locals.signInAttempt as SignInAttemptIds | undefined;
  const details = recorded ?? { requestId: ctx.ids.uuid(), correlationId: ctx.ids.uuid(), timestamp: ctx.clock.now().toISOString() };
  res.setHeader('x-idp-error', error.code);
  renderIdpPage(res, env, 'error.njk', { code: error.code, aadsts, message, details }, error.status);
}
