/**
 * multipart/form-data (RFC 7578) for the admin console's file upload ("Upload metadata file"), read
 * from a bounded raw body, so the upload works as a plain form post without script. Strict on
 * purpose: one boundary from the Content-Type, parts with a form-data Content-Disposition and a
 * name, headers and part counts bounded, nothing written to disk. Text fields become the same flat
 * fields the urlencoded parse gives (a repeated name an array); file parts are kept apart, as bytes,
 * for readUploadedFile.
 */
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';

/** The whole body: a metadata file (the core reads up to 128 kB) and the Basic SAML form beside it. */
export const MULTIPART_BODY_LIMIT = 512 * 1024;
/** As many parts as the console's urlencoded forms may have fields. */
const MAX_PARTS = 500;
const MAX_FILES = 2;
const MAX_HEADER_BYTES = 2048;
const MAX_FIELD_CHARS = 32 * 1024;

/** One uploaded file: the name the browser gave it and its bytes. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

const uploads = new WeakMap<Request, Map<string, UploadedFile>>();

/** The file uploaded in the field `name` of this request, or null (none chosen, or not a multipart post). */
export function readUploadedFile(req: Request, name: string): UploadedFile | null {
  return uploads.get(req)?.get(name) ?? null;
}

function malformed(reason: string): AppError {
  return new AppError('VALIDATION_FAILED', `The upload is not a well-formed multipart form: ${reason}.`);
}

/** The boundary parameter of a multipart/form-data Content-Type (RFC 2046 5.1.1: 1-70 characters). */
export function readBoundary(contentType: string): string | null {
  const raw = /;\s*boundary=("[^"]*"|[^\s;",]*)/i.exec(contentType)?.[1] ?? '';
  const boundary = raw.startsWith('"') ? raw.slice(1, -1) : raw;
  const legal = boundary.length >= 1 && boundary.length <= 70 && /^[0-9A-Za-z'()+_,\-./:=? ]+$/.test(boundary);
  return legal && !boundary.endsWith(' ') ? boundary : null;
}

/** name and filename of a part's Content-Disposition; null unless it is form-data with a name. */
function readDisposition(headers: string): { name: string; filename: string | null } | null {
  const line = headers.split('\r\n').find((h) => /^content-disposition:/i.test(h));
  if (line === undefined || !/^content-disposition:\s*form-data\s*(;|$)/i.test(line)) return null;
  const name = /;\s*name="([^"]*)"/i.exec(line)?.[1];
  if (name === undefined || name === '') return null;
  const filename = /;\s*filename="([^"]*)"/i.exec(line)?.[1] ?? null;
  return { name, filename };
}

function addField(fields: Record<string, string | string[]>, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else fields[name] = [existing, value];
}

/**
 * Splits a multipart/form-data body into text fields and files. Throws VALIDATION_FAILED for a body
 * that does not follow the format and PAYLOAD_TOO_LARGE for too many parts or files.
 */
export function parseMultipartForm(
  body: Buffer,
  boundary: string,
): { fields: Record<string, string | string[]>; files: Map<string, UploadedFile> } {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const next = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const fields: Record<string, string | string[]> = Object.create(null);
  const files = new Map<string, UploadedFile>();
  if (body.indexOf(delimiter) !== 0) throw malformed('it does not start with the boundary');
  let at = delimiter.length;
  for (let parts = 0; ; parts++) {
    if (body.toString('latin1', at, at + 2) === '--') return { fields: { ...fields }, files };
    if (parts >= MAX_PARTS) throw new AppError('PAYLOAD_TOO_LARGE', 'The form has too many fields.');
    if (body.toString('latin1', at, at + 2) !== '\r\n') throw malformed('a boundary is not followed by a line break');
    const headerStart = at + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart, 'latin1');
    if (headerEnd < 0 || headerEnd - headerStart > MAX_HEADER_BYTES) throw malformed('a part has no end to its headers');
    const disposition = readDisposition(body.toString('utf8', headerStart, headerEnd));
    if (disposition === null) throw malformed('a part is not a named form-data field');
    const contentStart = headerEnd + 4;
    const contentEnd = body.indexOf(next, contentStart);
    if (contentEnd < 0) throw malformed('the last part is not closed');
    const content = body.subarray(contentStart, contentEnd);
    if (disposition.filename === null) {
      addField(fields, disposition.name, content.toString('utf8').slice(0, MAX_FIELD_CHARS));
    } else if (disposition.filename !== '' || content.length > 0) {
      // A file input left empty is sent with filename="" and no content: no file.
      if (files.size >= MAX_FILES || files.has(disposition.name))
        throw new AppError('PAYLOAD_TOO_LARGE', 'The form carries too many files.');
      files.set(disposition.name, { filename: disposition.filename.slice(0, 255), bytes: Buffer.from(content) });
    }
    at = contentEnd + next.length;
  }
}

/**
 * Parses a multipart/form-data console post (up to MULTIPART_BODY_LIMIT) into req.body and the
 * request's uploads; any other request passes untouched. Mounted before the CSRF check, which then
 * reads the token from these fields.
 */
export function createConsoleMultipartParser(): RequestHandler {
  const readRaw = express.raw({ type: 'multipart/form-data', limit: MULTIPART_BODY_LIMIT });
  return (req, res, next) => {
    if (req.is('multipart/form-data') !== 'multipart/form-data') return next();
    const boundary = readBoundary(req.get('content-type') ?? '');
    if (boundary === null) return next(malformed('the Content-Type has no usable boundary'));
    readRaw(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const parsed = parseMultipartForm(body, boundary);
        req.body = parsed.fields;
        uploads.set(req, parsed.files);
        return next();
      } catch (error) {
        return next(error);
      }
    });
  };
}
