import express, { type RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';

/** JSON bodies for the API: metadata XML pasted into import-metadata is the largest, tens of kB. */
export const API_BODY_LIMIT = '1mb';

/** The ACS form: a SAMLResponse is 5-15 kB; the core's own maxSamlBytes check applies below this. */
export const ACS_BODY_LIMIT = '512kb';

/**
 * The console's forms (authentication profile with pasted certificates, New Address with roles):
 * more fields and more text than the small forms createCsrfProtection parses. Mounted before it on
 * the console's paths, so the token is read from this parse. Flat fields; a repeated name (roles)
 * comes as an array.
 */
export function createConsoleFormParser(): RequestHandler {
  return express.urlencoded({ extended: false, limit: '128kb', parameterLimit: 40, type: 'application/x-www-form-urlencoded' });
}

/** The API reads JSON only; a body of another type is refused rather than silently ignored. */
export function createJsonOnlyMiddleware(): RequestHandler {
  return (req, _res, next) => {
    // An empty body (no length or length 0) has no type to judge; validation then says what is missing.
    const hasContent = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? '0') > 0;
    if (hasContent && req.is('application/json') === false) return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
    return next();
  };
}

/** Parses JSON objects (and arrays, which validation then refuses) up to API_BODY_LIMIT. */
export function createJsonParser(): RequestHandler {
  return express.json({ limit: API_BODY_LIMIT, strict: true, type: 'application/json' });
}

/**
 * Parses the ACS form. Flat fields only (extended: false): the binding sends SAMLResponse and
 * RelayState, nothing nested. A body of another content type is refused with 415.
 */
export function createAcsFormParser(): RequestHandler[] {
  const parse = express.urlencoded({
    extended: false,
    limit: ACS_BODY_LIMIT,
    parameterLimit: 20,
    type: 'application/x-www-form-urlencoded',
  });
  const refuseOtherTypes: RequestHandler = (req, _res, next) => {
    if (req.is('application/x-www-form-urlencoded') === false) return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
    return next();
  };
  return [refuseOtherTypes, parse];
}
