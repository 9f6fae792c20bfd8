/**
 * The private-address guard for outbound fetches (metadata import): which IP addresses and host names
 * a URL supplied by a client may make this server connect to. A server that fetches any URL it is
 * given can be pointed at its own loopback services, the LAN or a cloud metadata endpoint (SSRF);
 * only public addresses pass, unless the host is explicitly allowed by configuration.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { foldAsciiCase } from '../core/saml/ascii-case.js';

/** Why an address is refused; `public` is the only category that may be fetched. */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'unspecified'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** An IPv4 range as [first octets as a 32-bit number, prefix length], with its category. */
type V4Rule = readonly [network: string, prefix: number, category: AddressCategory];

// Order matters: the first match wins, so single addresses come before the ranges that hold them.
const V4_RULES: readonly V4Rule[] = [
  ['169.254.169.254', 32, 'cloud-metadata'], // AWS, Azure, GCP, Oracle, DigitalOcean …
  ['169.254.170.2', 32, 'cloud-metadata'], // AWS ECS task metadata
  ['100.100.100.200', 32, 'cloud-metadata'], // Alibaba Cloud
  ['0.0.0.0', 32, 'unspecified'],
  ['0.0.0.0', 8, 'reserved'], // "this network": Linux connects 0.x to the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // former 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes the broadcast address
];

/** AWS's IPv6 instance metadata endpoint, fd00:ec2::254 (inside the unique-local range). */
const AWS_V6_METADATA: readonly number[] = [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254];

/** Host names that reach a cloud metadata service without any address in the URL. */
const METADATA_HOST_NAMES: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

function readIpv4(text: string): number {
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function matchesV4(address: number, network: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(readIpv4(network) / size);
}

/** The category of a dotted-quad IPv4 address. */
function classifyIpv4(address: number): AddressCategory {
  for (const [network, prefix, category] of V4_RULES) if (matchesV4(address, network, prefix)) return category;
  return 'public';
}

/** Eight 16-bit groups of an IPv6 address (an embedded dotted quad at the end is allowed), or null. */
export function parseIpv6(text: string): number[] | null {
  // indexOf, not /%.*$/: that pattern is retried from every '%' and is quadratic on a run of them.
  const unbracketed = text.replace(/^\[|\]$/g, '');
  const zone = unbracketed.indexOf('%');
  const bare = zone < 0 ? unbracketed : unbracketed.slice(0, zone);
  if (!isIPv6(bare)) return null;
  let body = bare;
  const tail: number[] = [];
  // In a valid IPv6 text an embedded dotted quad is whatever follows the last colon.
  const last = body.slice(body.lastIndexOf(':') + 1);
  if (last.includes('.')) {
    const v4 = readIpv4(last);
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    body = body.slice(0, -last.length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const [head = '', rest] = body.split('::');
  const readGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = readGroups(head);
  const right = [...readGroups(rest ?? ''), ...tail];
  if (rest === undefined) return [...left, ...tail];
  const missing = 8 - left.length - right.length;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** The IPv4 address held in the last 32 bits of an IPv6 address, as a number. */
function readEmbeddedV4(groups: number[]): number {
  return (groups[6] ?? 0) * 65536 + (groups[7] ?? 0);
}

function startsWith(groups: number[], prefix: number[]): boolean {
  return prefix.every((g, i) => groups[i] === g);
}

/** Categories of the IPv6 space that is not global unicast, checked top down. */
function classifyIpv6(groups: number[]): AddressCategory {
  const [g0 = 0, g1 = 0] = groups;
  const zeros = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (zeros(7) && groups[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d reach the IPv4 address itself.
  if (zeros(5) && groups[5] === 0xffff) return classifyIpv4(readEmbeddedV4(groups));
  if (zeros(4) && groups[4] === 0xffff && groups[5] === 0) return classifyIpv4(readEmbeddedV4(groups));
  // Deprecated IPv4-compatible ::a.b.c.d: never a legitimate destination.
  if (zeros(6)) return embeddedOr(readEmbeddedV4(groups), 'reserved');
  // NAT64 (RFC 6052): the well-known prefix reaches the embedded IPv4 address through a translator.
  if (startsWith(groups, [0x64, 0xff9b, 0, 0, 0, 0])) return classifyIpv4(readEmbeddedV4(groups));
  if (startsWith(groups, [0x64, 0xff9b, 1])) return 'private'; // local-use NAT64 (RFC 8215)
  if (startsWith(groups, [0x100, 0, 0, 0])) return 'reserved'; // discard-only
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved'; // documentation
  if (g0 === 0x2001 && g1 === 0) return 'reserved'; // Teredo
  if (g0 === 0x2002) return embeddedOr(g1 * 65536 + (groups[2] ?? 0), 'public'); // 6to4 embeds an IPv4
  if (AWS_V6_METADATA.every((g, i) => groups[i] === g)) return 'cloud-metadata';
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The embedded IPv4 address's category when it is not public, otherwise `fallback`. */
function embeddedOr(v4: number, fallback: AddressCategory): AddressCategory {
  const inner = classifyIpv4(v4);
  return inner === 'public' ? fallback : inner;
}

/**
 * Classifies an IP address in its textual form (dotted quad, IPv6 with or without brackets, zone id
 * or embedded IPv4). Anything that is not an IP address is `invalid`, which callers refuse too.
 */
export function classifyIpAddress(address: string): AddressCategory {
  const bare = address.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(bare)) return classifyIpv4(readIpv4(bare));
  const groups = parseIpv6(bare);
  if (groups === null || groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return 'invalid';
  return classifyIpv6(groups);
}

/** True when `hostname` is an IP literal (brackets allowed), as opposed to a name to resolve. */
export function isIpLiteral(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIPv4(bare) || isIPv6(bare);
}

/** Lower case, no brackets, no trailing dot: the form in which hosts are compared with the allowlist. */
export function normaliseHost(hostname: string): string {
  return foldAsciiCase(hostname.trim())
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * Judges a host name before it is resolved: names that always mean this machine or a cloud metadata
 * service are refused outright, with a clearer reason than the address they would resolve to.
 * Returns `public` for every other name; its addresses are judged at connect time.
 */
export function classifyHostName(hostname: string): AddressCategory {
  const host = normaliseHost(hostname);
  if (isIpLiteral(host)) return classifyIpAddress(host);
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_HOST_NAMES.has(host)) return 'cloud-metadata';
  return 'public';
}

/** Builds the allowlist lookup: hosts that skip the guard (and may use plain http). */
export function createHostAllowlist(hosts: readonly string[]): (hostname: string) => boolean {
  const allowed = new Set(hosts.map(normaliseHost));
  return (hostname) => allowed.has(normaliseHost(hostname));
}
