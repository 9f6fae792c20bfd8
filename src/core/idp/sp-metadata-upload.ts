/**
 * Basic SAML Configuration › "Upload metadata file": a service provider's SAML metadata (Mimecast's
 * /sso/<account code>/metadata) read with the product's safe parse and metadata budget (no DTD,
 * bounded size, depth and width), giving the Identifier (entityID) and Reply URLs (the SPSSODescriptor's
 * HTTP-POST AssertionConsumerServices, the default first). Like Entra it only fills the form: the
 * admin reviews the values and saves them.
 */
import { foldAsciiCase } from '../saml/ascii-case.js';
import { BINDING, NS, PROTOCOL } from '../saml/constants.js';
import { childElements, descendantElements, parseXmlSafely, readAttribute, XmlSafetyError } from '../saml/xml.js';
import { DEFAULT_METADATA_XML_LIMITS } from '../saml/xml-limit-defaults.js';
import type { BasicSamlForm } from './basic-saml.js';
import { buildFieldError, type FieldError } from './field-errors.js';

/** Largest metadata file read; an SP's metadata is a few kilobytes (Mimecast's: two certificates, ~4 kB). */
export const MAX_SP_METADATA_BYTES = 128 * 1024;
/** Most Reply URLs one upload adds, so the form stays within the rows a save reads. */
const MAX_UPLOADED_REPLY_URLS = 20;

/** The form field the upload is, and its refusals' field. */
export const METADATA_FILE_FIELD = 'metadataFile';

/** What an SP metadata file gives the Basic SAML Configuration form. */
export interface SpMetadataValues {
  entityId: string;
  /** HTTP-POST AssertionConsumerService Locations: isDefault="true" first, then by index, then document order. */
  replyUrls: string[];
}

export const SP_METADATA_MESSAGES = {
  noFile: 'Choose a metadata file (.xml) to upload.',
  tooLarge: `The file is larger than ${MAX_SP_METADATA_BYTES / 1024} kB; SAML metadata is a few kilobytes.`,
  notMetadata: 'This file is not SAML metadata.',
  noSpDescriptor: 'The metadata has no SPSSODescriptor (SAML 2.0 service provider): it may be an identity provider’s metadata.',
  noPostAcs: 'The metadata has no AssertionConsumerService with the HTTP-POST binding and an http(s) Location.',
} as const;

type Outcome = { ok: true; value: SpMetadataValues } | { ok: false; error: FieldError };

function refuse(code: 'not-metadata' | 'no-sp-descriptor' | 'no-post-acs' | 'file-too-large', message: string, hint?: string): Outcome {
  const error = buildFieldError(METADATA_FILE_FIELD, code, message);
  return { ok: false, error: hint === undefined ? error : { ...error, hint } };
}

/** Why the safe parse refused the text, in words an admin can act on. */
function describeXmlRefusal(error: XmlSafetyError): string {
  if (error.code === 'SP_PAYLOAD_DTD') return 'It contains a DTD (DOCTYPE), which SAML metadata may not.';
  if (error.code === 'SP_PAYLOAD_TOO_DEEP' || error.code === 'SP_PAYLOAD_TOO_WIDE') return error.message;
  return 'It is not well-formed XML.';
}

function isSpDescriptor(el: Element): boolean {
  return (readAttribute(el, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL.saml2);
}

/** The one SP EntityDescriptor: the root, or the only one with an SPSSODescriptor in an EntitiesDescriptor. */
function selectEntity(root: Element): Element | Outcome {
  if (root.namespaceURI !== NS.md)
    return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, `The root element is ${root.localName}.`);
  if (root.localName === 'EntityDescriptor') return root;
  if (root.localName !== 'EntitiesDescriptor')
    return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, `The root element is ${root.localName}.`);
  const sps = descendantElements(root, NS.md, 'EntityDescriptor').filter((e) =>
    childElements(e, NS.md, 'SPSSODescriptor').some(isSpDescriptor),
  );
  if (sps.length === 1) return sps[0] as Element;
  if (sps.length === 0) return refuse('no-sp-descriptor', SP_METADATA_MESSAGES.noSpDescriptor);
  return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, `It lists ${sps.length} service providers; upload the metadata of one.`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** HTTP-POST ACS Locations in Entra's order of preference (SAML Metadata 2.2.3: isDefault, then index). */
function readPostAcsLocations(descriptor: Element): string[] {
  const rows = childElements(descriptor, NS.md, 'AssertionConsumerService').flatMap((el, order) => {
    const location = readAttribute(el, 'Location')?.trim() ?? '';
    if (readAttribute(el, 'Binding')?.trim() !== BINDING.httpPost || !isHttpUrl(location)) return [];
    const index = Number.parseInt(readAttribute(el, 'index') ?? '', 10);
    const isDefault = readAttribute(el, 'isDefault')?.trim() === 'true';
    return [{ location, isDefault, index: Number.isInteger(index) ? index : Number.MAX_SAFE_INTEGER, order }];
  });
  rows.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.index - b.index || a.order - b.order);
  return [...new Set(rows.map((r) => r.location))].slice(0, MAX_UPLOADED_REPLY_URLS);
}

/**
 * Reads an uploaded SP metadata file. Refusals come as one field error on `metadataFile`:
 * 'file-too-large', 'not-metadata' (not XML, a DTD, over the limits, not an md:EntityDescriptor, no
 * entityID), 'no-sp-descriptor' (no SAML 2.0 SPSSODescriptor) or 'no-post-acs' (no HTTP-POST
 * AssertionConsumerService with an http(s) Location). It never throws on the file's content.
 */
export function readSpMetadataFile(text: string): Outcome {
  if (text.length > MAX_SP_METADATA_BYTES || Buffer.byteLength(text, 'utf8') > MAX_SP_METADATA_BYTES) {
    return refuse('file-too-large', SP_METADATA_MESSAGES.tooLarge);
  }
  let doc: Document;
  try {
    doc = parseXmlSafely(text, { maxBytes: MAX_SP_METADATA_BYTES, limits: DEFAULT_METADATA_XML_LIMITS });
  } catch (error) {
    if (!(error instanceof XmlSafetyError)) throw error;
    return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, describeXmlRefusal(error));
  }
  const entity = selectEntity(doc.documentElement);
  if ('ok' in entity) return entity;
  const entityId = readAttribute(entity, 'entityID')?.trim() ?? '';
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(entityId) || entityId.length > 2048) {
    return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, 'The EntityDescriptor has no entityID URI.');
  }
  const descriptor = childElements(entity, NS.md, 'SPSSODescriptor').find(isSpDescriptor);
  if (!descriptor) return refuse('no-sp-descriptor', SP_METADATA_MESSAGES.noSpDescriptor);
  const replyUrls = readPostAcsLocations(descriptor);
  if (replyUrls.length === 0) return refuse('no-post-acs', SP_METADATA_MESSAGES.noPostAcs);
  return { ok: true, value: { entityId, replyUrls } };
}

/**
 * Reads an uploaded file's bytes (null when none was chosen: 'no-file'): UTF-8 text (a BOM is fine;
 * other bytes are 'not-metadata'), then readSpMetadataFile.
 */
export function readSpMetadataUpload(bytes: Uint8Array | null): Outcome {
  if (bytes === null || bytes.length === 0)
    return { ok: false, error: buildFieldError(METADATA_FILE_FIELD, 'no-file', SP_METADATA_MESSAGES.noFile) };
  if (bytes.length > MAX_SP_METADATA_BYTES) return refuse('file-too-large', SP_METADATA_MESSAGES.tooLarge);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('not-metadata', SP_METADATA_MESSAGES.notMetadata, 'It is not UTF-8 text.');
  }
  return readSpMetadataFile(text);
}

/** Puts `value` in `rows` (once, ASCII case ignored for identifiers as Entra compares them) and returns its row. */
function placeRow(rows: string[], value: string, foldCase: boolean): number {
  const key = (v: string) => (foldCase ? foldAsciiCase(v.trim()) : v.trim());
  const at = rows.findIndex((r) => key(r) === key(value));
  if (at >= 0) return at;
  rows.push(value);
  return rows.length - 1;
}

/**
 * The form with the metadata's values filled in, as Entra's upload does: the entityID and the ACS
 * Locations added to the rows (empty rows dropped, values already there kept), the entityID and the
 * default ACS made the defaults. The other fields stay as they were; nothing is saved.
 */
export function applySpMetadataToForm(form: BasicSamlForm, values: SpMetadataValues): BasicSamlForm {
  const identifiers = form.identifiers.filter((r) => r.trim() !== '');
  const replyUrls = form.replyUrls.filter((r) => r.trim() !== '');
  const defaultIdentifier = placeRow(identifiers, values.entityId, true);
  const rows = values.replyUrls.map((url) => placeRow(replyUrls, url, false));
  return { ...form, identifiers, defaultIdentifier, replyUrls, defaultReplyUrl: rows[0] ?? 0 };
}
