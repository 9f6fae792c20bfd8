import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AddressCategory,
  classifyHostName,
  classifyIpAddress,
  createHostAllowlist,
  parseIpv6,
} from '../../../src/net/address-guard.js';

const TABLE: [string, AddressCategory][] = [
  ['8.8.8.8', 'public'],
  ['93.184.216.34', 'public'],
  ['20.190.128.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'cloud-metadata'],
  ['169.254.170.2', 'cloud-metadata'],
  ['100.100.100.200', 'cloud-metadata'],
  ['169.254.1.1', 'link-local'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'reserved'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.1', 'public'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  // IPv4-mapped, in both the dotted and the hex form the URL parser produces.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['::ffff:a00:1', 'private'],
  ['::ffff:192.168.0.10', 'private'],
  ['::ffff:ac10:1', 'private'],
  ['::ffff:169.254.169.254', 'cloud-metadata'],
  ['::ffff:a9fe:a9fe', 'cloud-metadata'],
  ['::ffff:169.254.0.1', 'link-local'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::ffff:100.64.0.1', 'cgnat'],
  ['::ffff:8.8.8.8', 'public'],
  ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
  // IPv4-translated, IPv4-compatible, NAT64 and 6to4 carry an IPv4 address too.
  ['::ffff:0:127.0.0.1', 'loopback'],
  ['::127.0.0.1', 'loopback'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'cloud-metadata'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a9fe:a9fe::1', 'cloud-metadata'],
  ['2002:808:808::1', 'public'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fd00:ec2::254', 'cloud-metadata'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['2001:0:4136:e378::1', 'reserved'],
  ['100::1', 'reserved'],
  ['2606:4700:4700::1111', 'public'],
  ['2a01:111:f100::1', 'public'],
  ['not-an-ip', 'invalid'],
  ['1.2.3', 'invalid'],
  ['::ffff:1.2.3.256', 'invalid'],
  ['', 'invalid'],
];

describe('classifyIpAddress', () => {
  for (const [address, expected] of TABLE) {
    it(`${address || '(empty)'} is ${expected}`, () => {
      assert.equal(classifyIpAddress(address), expected);
    });
  }
});

describe('parseIpv6', () => {
  it('expands :: and an embedded dotted quad into eight groups', () => {
    assert.deepEqual(parseIpv6('::ffff:127.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    assert.deepEqual(parseIpv6('1:2:3:4:5:6:1.2.3.4'), [1, 2, 3, 4, 5, 6, 0x102, 0x304]);
    assert.deepEqual(parseIpv6('fe80::1'), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(parseIpv6('nope'), null);
  });
});

describe('host names through the URL parser', () => {
  // What a client types, and what the WHATWG URL parser makes of it before any check runs.
  const CASES: [string, AddressCategory][] = [
    ['https://2130706433/', 'loopback'],
    ['https://017700000001/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://0177.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://0/', 'unspecified'],
    ['https://10.1/', 'private'],
    ['https://0xa9.0xfe.0xa9.0xfe/', 'cloud-metadata'],
    ['https://2852039166/', 'cloud-metadata'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://[::ffff:169.254.169.254]/', 'cloud-metadata'],
    ['https://[::]/', 'unspecified'],
    ['https://[fd00:ec2::254]/', 'cloud-metadata'],
    ['https://localhost/', 'loopback'],
    ['https://LOCALHOST./', 'loopback'],
    ['https://app.localhost/', 'loopback'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'cloud-metadata'],
    ['https://Metadata.Google.Internal./', 'cloud-metadata'],
    ['https://metadata/', 'cloud-metadata'],
    ['https://login.microsoftonline.com/x/federationmetadata/2007-06/federationmetadata.xml', 'public'],
  ];
  for (const [raw, expected] of CASES) {
    it(`${raw} is ${expected}`, () => {
      assert.equal(classifyHostName(new URL(raw).hostname), expected);
    });
  }
});

describe('createHostAllowlist', () => {
  it('matches case-insensitively, with or without IPv6 brackets and a trailing dot', () => {
    const isAllowed = createHostAllowlist(['localhost', '127.0.0.1', '[::1]', 'IdP.Corp.Example']);
    assert.equal(isAllowed('LOCALHOST'), true);
    assert.equal(isAllowed('[::1]'), true);
    assert.equal(isAllowed('::1'), true);
    assert.equal(isAllowed('idp.corp.example.'), true);
    assert.equal(isAllowed('127.0.0.2'), false);
    assert.equal(isAllowed('evil.idp.corp.example'), false);
  });
});
