import type { ValidationSettings } from '../core/sp/validation-settings.js';
import type { Config } from './defaults.js';

/** The core's validation settings from the `saml` section of a configuration (defaults included). */
export function readValidationSettings(saml: Config['saml']): ValidationSettings {
  return { clockSkewMs: saml.clockSkewSeconds * 1000, maxSamlBytes: saml.maxSamlBytes, refuseSha1: saml.refuseSha1 };
}
