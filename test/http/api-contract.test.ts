/**
 * Each app's JSON API against its OpenAPI document: the documents lint clean under Redocly's
 * recommended rules (redocly.yaml; warnings count), every route the routers
 * answer is documented with the same methods, every documented path answers, and a wrong method on a
 * documented path is 405 with the documented methods in Allow.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint, loadConfig } from '@redocly/openapi-core';
import type { Express } from 'express';
import request from 'supertest';
import { parse } from 'yaml';
import type { RouteEntry } from '../../src/http/route-inventory.js';
import { createTestIdp, type TestIdp } from '../_helpers/idp-harness.js';
import { createTestSp, type TestSp } from '../_helpers/sp-harness.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses?: Record<string, unknown>;
}
interface OpenApiDocument {
  tags?: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

function readDocument(file: string): OpenApiDocument {
  return parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as OpenApiDocument;
}

function listOperations(doc: OpenApiDocument): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({ path, method, op: item[method] as Operation })),
  );
}

const REDOCLY_CONFIG = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));

/** Every problem Redocly's recommended rules (redocly.yaml) find in a document, warnings included; empty when clean. */
async function lintWithRedocly(path: string): Promise<string[]> {
  const config = await loadConfig({ configPath: REDOCLY_CONFIG });
  const problems = await lint({ ref: path, config });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);
}

/** `/accounts/:code` → `/accounts/{code}`, as OpenAPI writes a path parameter. */
function toOpenApiPath(path: string): string {
  return path
    .split('/')
    .map((part) => (part.startsWith(':') ? `{${part.slice(1)}}` : part))
    .join('/');
}

function documentedMethods(doc: OpenApiDocument): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { path, method } of listOperations(doc)) map.set(path, [...(map.get(path) ?? []), method.toUpperCase()]);
  return map;
}

function routedMethods(app: Express): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const route of app.locals.apiRoutes as RouteEntry[]) {
    const path = toOpenApiPath(route.path);
    const set = map.get(path) ?? new Set<string>();
    for (const m of route.methods) set.add(m);
    map.set(path, set);
  }
  return new Map([...map].map(([path, set]) => [path, [...set].sort()]));
}

/** A concrete URL for a documented path: each parameter gets a value the tests' fixtures know. */
function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w{1,40})\}/g, (_whole, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

const UNUSED_METHOD = (methods: readonly string[]): 'put' | 'patch' | 'delete' | 'post' =>
  (['put', 'patch', 'delete', 'post'] as const).find((m) => !methods.includes(m.toUpperCase())) ?? 'put';

for (const { name, file, build, values } of [
  {
    name: 'SP',
    file: 'openapi.yaml',
    build: async () => createTestSp(),
    values: { code: 'CUK12A34', email: 'b.simon@contoso.com', id: 'no-such-trace' },
  },
  { name: 'mock Entra', file: 'openapi-idp.yaml', build: async () => createTestIdp(), values: {} as Record<string, string> },
] as const) {
  describe(`${name} API contract (${file})`, () => {
    let harness: TestSp | TestIdp;
    const doc = readDocument(file);
    before(async () => {
      harness = await build();
    });
    after(async () => {
      if ('close' in harness) await harness.close();
    });

    test("the document lints clean under Redocly's recommended rules", async () => {
      assert.deepEqual(await lintWithRedocly(fileURLToPath(new URL(`../../${file}`, import.meta.url))), []);
    });

    test('every route under /api is documented, with the same methods', () => {
      const documented = documentedMethods(doc);
      const routed = routedMethods(harness.app);
      const missing = [...routed].filter(
        ([path, methods]) => JSON.stringify([...(documented.get(path) ?? [])].sort()) !== JSON.stringify(methods),
      );
      assert.deepEqual(
        missing.map(
          ([path, methods]) => `${path}: routed ${methods.join(',')}, documented ${(documented.get(path) ?? []).join(',') || 'nothing'}`,
        ),
        [],
      );
      const extra = [...documented.keys()].filter((path) => !routed.has(path));
      assert.deepEqual(extra, [], 'documented but not routed');
    });

    test('every documented path answers (not 404 NOT_FOUND), and a wrong method is 405 with Allow', async () => {
      const known = {
        ...values,
        ...('tenantId' in harness
          ? { tenantId: harness.tenantId, appId: harness.appId, upn: harness.user.userPrincipalName, certId: 'no-such-cert' }
          : {}),
      };
      for (const [path, methods] of documentedMethods(doc)) {
        const url = fillPath(path, known);
        if (methods.includes('GET')) {
          const res = await request(harness.app).get(url);
          assert.notEqual(res.body?.error, 'NOT_FOUND', `GET ${url} answered ${res.status} NOT_FOUND`);
        }
        const wrong = UNUSED_METHOD(methods);
        const res = await request(harness.app)[wrong](url).set('Content-Type', 'application/json').send('{}');
        assert.equal(res.status, 405, `${wrong.toUpperCase()} ${url} answered ${res.status} ${res.body?.error ?? ''}`);
        assert.equal(res.body.error, 'METHOD_NOT_ALLOWED');
        const allow = (res.headers.allow ?? '').split(', ').filter((m: string) => m !== 'HEAD');
        assert.deepEqual(allow.sort(), [...methods].sort(), `Allow of ${url}`);
      }
    });

    test('every operation that takes a body documents 413 and 415, and answers them', async () => {
      const known = {
        ...values,
        ...('tenantId' in harness ? { tenantId: harness.tenantId, appId: harness.appId, upn: harness.user.userPrincipalName } : {}),
      };
      const withBody = listOperations(doc).filter(({ op }) => (op as { requestBody?: unknown }).requestBody !== undefined);
      assert.ok(withBody.length >= 5, 'the scan finds the operations with a body');
      assert.deepEqual(
        withBody.filter(({ op }) => !op.responses?.['413'] || !op.responses?.['415']).map(({ method, path }) => `${method} ${path}`),
        [],
        'operations that take a body but document no 413 or 415',
      );
      const oversized = JSON.stringify({ padding: 'x'.repeat(1_100_000) });
      for (const { method, path } of withBody) {
        const url = fillPath(path, known);
        const m = method as 'post' | 'put' | 'patch';
        const plain = await request(harness.app)[m](url).set('Content-Type', 'text/plain').send('hello');
        assert.equal(plain.status, 415, `${method} ${url} with text/plain: ${plain.status}`);
        assert.equal(plain.body.error, 'UNSUPPORTED_MEDIA_TYPE');
        const big = await request(harness.app)[m](url).set('Content-Type', 'application/json').send(oversized);
        assert.equal(big.status, 413, `${method} ${url} with 1.1 MB: ${big.status}`);
        assert.equal(big.body.error, 'PAYLOAD_TOO_LARGE');
      }
    });

    test('a path outside the API is 404 NOT_FOUND, not 405', async () => {
      const res = await request(harness.app).put('/api/no-such-thing').set('Content-Type', 'application/json').send('{}');
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'NOT_FOUND');
    });
  });
}

test('the Redocly lint reports a broken document, so a clean result means something', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const path = join(dir, 'broken.yaml');
    writeFileSync(
      path,
      ['openapi: 3.1.0', 'info: { title: broken, version: "1" }', 'paths:', '  /x:', '    get:', '      summary: no responses', ''].join(
        '\n',
      ),
    );
    const problems = await lintWithRedocly(path);
    assert.ok(
      problems.some((p) => p.includes('operation-operationId')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('error security-defined')),
      problems.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
