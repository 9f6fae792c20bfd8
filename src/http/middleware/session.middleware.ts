import type { RequestHandler } from 'express';
import session from 'express-session';
import type { SignedInSession } from '../../core/sp/context.js';

declare module 'express-session' {
  interface SessionData {
    /** Set by the ACS after a successful sign-in. */
    user: SignedInSession;
    /** SHA-256 of the admin token this browser proved it knows (never the token itself). */
    consoleTokenHash: string;
  }
}

/** The cookie name, short and product-specific so it does not collide with the IdP's on localhost. */
export const SESSION_COOKIE_NAME = 'mm.sid';

/**
 * express-session over the injected store (never the MemoryStore). SameSite=Lax is enough here: the
 * IdP's cross-site POST to the ACS needs no cookie, because pending requests are kept server-side.
 * `proxy` is left undefined so it follows Express's trust proxy setting, which is off by default.
 */
export function createSessionMiddleware(options: { store: session.Store; secret: string; secureCookies: boolean }): RequestHandler {
  return session({
    name: SESSION_COOKIE_NAME,
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' },
  });
}

/**
 * Who is signed in, for the header of every page (res.locals.signedInUser): the address and its
 * account, or null. Mount after the session middleware.
 */
export function createSignedInLocals(): RequestHandler {
  return (req, res, next) => {
    const user = req.session.user;
    res.locals.signedInUser = user === undefined ? null : { email: user.email, accountCode: user.accountCode };
    next();
  };
}
