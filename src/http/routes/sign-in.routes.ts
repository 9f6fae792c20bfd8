import { type Response, Router } from 'express';
import type nunjucks from 'nunjucks';
import { AppError } from '../../core/errors.js';
import { buildSpMetadata, resolveAccountByEmail, type SignInStart, startSpInitiatedSignIn } from '../../core/sp/sign-in.js';
import { renderPage } from '../render.js';
import { type RouteDeps, readSingleQuery } from './route-deps.js';

/**
 * Sends the browser on to the IdP: an auto-submitting HTTP-POST form (Mimecast's binding), or a 302
 * for a profile set to HTTP-Redirect.
 */
export function sendSignInStart(res: Response, views: nunjucks.Environment, start: SignInStart): void {
  assertHttpTarget(start.kind === 'redirect' ? start.location : start.action);
  if (start.kind === 'redirect') {
    res.redirect(302, start.location);
    return;
  }
  renderPage(res, views, 'post-form.njk', { action: start.action, fields: Object.entries(start.fields), traceId: start.traceId });
}

/**
 * The browser is only ever sent to an http(s) Login URL. Imported metadata can name any scheme, and a
 * `javascript:` or `data:` action on the auto-submitted form would run in this origin (the CSP blocks
 * it in current browsers; this does not rely on that).
 */
function assertHttpTarget(target: string): void {
  let protocol: string;
  try {
    protocol = new URL(target).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new AppError('LOGIN_URL_UNSAFE', undefined, { details: { loginUrl: target.slice(0, 200) } });
}

/** An empty RelayState means "none", as a form with an empty hidden field sends it. */
function readRelayState(value: unknown): string | null {
  const relayState = readSingleQuery(value);
  return relayState === null || relayState === '' ? null : relayState;
}

/** "Login to Mimecast", SP-initiated sign-in per account, and the SP metadata download. */
export function createSignInRouter({ ctx, views }: RouteDeps): Router {
  const router = Router();

  router.get('/login/saml', async (req, res) => {
    const email = readSingleQuery(req.query.email);
    const relayState = readRelayState(req.query.RelayState);
    const page = { email: email ?? '', relayState, signedOut: req.query.signedOut === '1' };
    if (email === null) {
      renderPage(res, views, 'login.njk', page);
      return;
    }
    try {
      if (email.trim() === '') {
        throw new AppError('VALIDATION_FAILED', 'Enter your email address.', {
          details: [{ path: 'email', problem: 'must not be empty' }],
        });
      }
      const { account } = await resolveAccountByEmail(ctx, email.trim());
      sendSignInStart(res, views, await startSpInitiatedSignIn(ctx, { accountCode: account.code, relayState }));
    } catch (err) {
      // Anything the person can fix is shown beside the field, with what they typed kept.
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      renderPage(res, views, 'login.njk', { ...page, error: err.toJSON() }, err.status);
    }
    return;
  });

  router.get('/sso/:accountcode', async (req, res) => {
    const start = await startSpInitiatedSignIn(ctx, {
      accountCode: req.params.accountcode,
      relayState: readRelayState(req.query.RelayState),
    });
    sendSignInStart(res, views, start);
    return;
  });

  router.get('/sso/:accountcode/metadata', async (req, res) => {
    const code = req.params.accountcode;
    const xml = await buildSpMetadata(ctx, code);
    // attachment() sets a type from the .xml extension, so the SAML metadata type goes after it.
    res.attachment(`mimecast-${code}-sp-metadata.xml`);
    res.type('application/samlmetadata+xml');
    res.send(xml);
    return;
  });

  return router;
}
