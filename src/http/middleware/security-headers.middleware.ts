import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * The page policy. Scripts run only with the per-response nonce (the auto-submitting SAML form is the
 * one inline script). There is deliberately no form-action directive: the sign-in form posts to the
 * IdP's Login URL, and browsers apply form-action to the redirect a form submission gets as well.
 */
export function buildContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Security headers for every response, and a fresh CSP nonce in res.locals.cspNonce. The nonce comes
 * from crypto, not from the injected id generator: test ids are predictable, a nonce must not be.
 */
export function createSecurityHeadersMiddleware(): RequestHandler {
  return (_req, res, next) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.setHeader('Content-Security-Policy', buildContentSecurityPolicy(nonce));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    // SAML messages and tokens can sit in URLs; do not leak them to the next site.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
