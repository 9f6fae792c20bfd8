/**
 * Mimecast's regions and the host each one serves from. The Identifier and Reply URL an Entra admin
 * types are derived from these.
 */
export const REGION_HOSTS = {
  eu: 'eu-api.mimecast.com',
  us: 'us-api.mimecast.com',
  za: 'za-api.mimecast.com',
  au: 'au-api.mimecast.com',
  jer: 'jer-api.mimecast.com',
  de: 'de-api.mimecast.com',
  usb: 'usb-api.mimecast.com',
  ca: 'ca-api.mimecast.com',
  uspcom: 'uspcom-api.mimecast-pscom-us.com',
} as const;

export type RegionCode = keyof typeof REGION_HOSTS;

export const REGION_CODES = Object.keys(REGION_HOSTS) as RegionCode[];

/** Narrows a string to a region code. */
export function isRegionCode(value: string): value is RegionCode {
  return Object.hasOwn(REGION_HOSTS, value);
}

/** `https://<r>-api.mimecast.com` for a region. */
export function buildRegionBaseUrl(region: RegionCode): string {
  return `https://${REGION_HOSTS[region]}`;
}
