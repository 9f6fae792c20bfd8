/**
 * CSRF protection for the mock Entra's admin console (mounted on /admin only). The SP's
 * createCsrfProtection lets a request through when its session holds no sign-in, because nothing
 * could be acted on; the console needs no sign-in yet changes what the IdP trusts, so here every
 * POST must carry the session's token, whoever sends it. The token is minted on the first console
 * page a browser opens. The SAML endpoint and the sign-in forms are not under /admin: the former is
 * cross-site by design, the latter carry a per-session transaction id that a forged form cannot know.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';
import { CSRF_FIELD, CSRF_HEADER, mintCsrfToken } from '../middleware/csrf.middleware.js';
import { createConsoleMultipartParser } from './console-multipart.js';

/** Console forms are small, except a pasted token encryption certificate (a few kB). */
const CONSOLE_FORM_LIMIT = '64kb';
/** Enough for a form with many Identifier / Reply URL rows or users ticked. */
const CONSOLE_FORM_FIELDS = 500;

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

function matchToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function readSubmittedToken(req: Request): string | null {
  const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof field === 'string' && field !== '') return field;
  const header = req.get(CSRF_HEADER);
  return header !== undefined && header !== '' ? header : null;
}

/**
 * Gives each console page the session's token (res.locals.csrfToken, sent back as `_csrf`), parses
 * console forms (flat fields; repeated ones become arrays; multipart uploads too, see
 * console-multipart.ts) and refuses a POST/PUT/PATCH/DELETE
 * without the token with CSRF_TOKEN_INVALID (403).
 */
export function createConsoleCsrfProtection(): RequestHandler {
  const parseForm = express.urlencoded({
    extended: false,
    limit: CONSOLE_FORM_LIMIT,
    parameterLimit: CONSOLE_FORM_FIELDS,
    type: 'application/x-www-form-urlencoded',
  });
  // "Upload metadata file" posts multipart/form-data; its fields (the token among them) are read the same way.
  const parseMultipart = createConsoleMultipartParser();
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) {
      res.locals.csrfToken = req.session.csrfToken ?? mintCsrfToken(req.session);
      return next();
    }
    const parse = req.is('multipart/form-data') === 'multipart/form-data' ? parseMultipart : parseForm;
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const expected = req.session.csrfToken;
      const given = readSubmittedToken(req);
      if (expected === undefined || given === null || !matchToken(given, expected)) return next(new AppError('CSRF_TOKEN_INVALID'));
      res.locals.csrfToken = expected;
      return next();
    });
  };
}
