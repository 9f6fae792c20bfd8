import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** What the headers depend on. */
export interface SecurityHeadersOptions {
  /**
   * Send Strict-Transport-Security: only when browsers reach the app over https. On plain http it is
   * ignored anyway, and pinning https on `localhost` would break every other local dev server.
   */
  hsts?: boolean;
}

/** 180 days: long enough to matter, short enough that a harness host can give up TLS again. */
const HSTS_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

/** The nonce this response carries (set just before helmet runs). */
function readNonce(res: ServerResponse): string {
  return String((res as Response).locals.cspNonce);
}

/**
 * Security headers for every response (helmet), and a fresh CSP nonce in res.locals.cspNonce.
 *
 * The CSP: scripts run only with the per-response nonce (the auto-submitting SAML form is the one
 * inline script); nothing may frame a page (clickjacking of the console); `<base>` cannot be
 * injected to redirect relative links. It is written out in full (helmet's defaults are off): they
 * would add upgrade-insecure-requests, which breaks the http loopback set-up, and form-action 'self'.
 * There is deliberately no form-action directive: the sign-in form posts to the IdP's Login URL (any
 * origin an admin configured), and browsers apply form-action to the redirects after a submission too.
 *
 * The nonce comes from crypto, not from the injected id generator: test ids are predictable.
 */
export function createSecurityHeadersMiddleware(options: SecurityHeadersOptions = {}): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: [(_req, res) => `'nonce-${readNonce(res)}'`],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    // The pages embed nothing cross-origin, but COEP would only add breakage for no gain here.
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // SAML messages and tokens can sit in URLs; do not leak them to the next site.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.hsts ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
    // For browsers without frame-ancestors.
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    // Pages show traces and configuration; neither belongs in a shared or back-button cache.
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}
