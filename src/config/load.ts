/**
 * Builds the one validated `Config` from defaults < YAML file < environment < flags. This is the only
 * module that looks at process.env, and only when the caller passes no `env` of its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { type Config, defaults } from './defaults.js';
import {
  type CliFlags,
  type ConfigKey,
  type ConfigProblem,
  type ConfigSource,
  type ConfigSources,
  coerceValue,
  configFileKey,
  configKeys,
} from './keys.js';
import { copyPlain, deletePath, isPlainObject, listLeaves, mergeInto, writePath } from './object-paths.js';
import { isNegatedVariable, readEnv, readFlag, readNonEmpty } from './raw-sources.js';
import { type ConfigLayer, configSchema, isLoopbackHost, layerSchema, readPath } from './schema.js';

export type { CliFlags, ConfigKey, ConfigProblem, ConfigSource, ConfigSources } from './keys.js';
export { configFileKey, configKeys } from './keys.js';
export { isLoopbackHost } from './schema.js';

interface Origin {
  source: ConfigSource;
  name: string;
  raw: unknown;
}

interface Layer {
  source: ConfigSource;
  input: Record<string, unknown>;
  origins: Map<string, Origin>;
}

/**
 * The YAML parser, loaded on first use: most starts read no config file, and the parser is tens of
 * milliseconds of module loading. Synchronous (loadConfig is), hence require rather than import().
 */
function loadYamlParser(): (text: string) => unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return (text) => yaml.parse(text);
}

const adminTokenProblem = 'listens beyond loopback, so an admin token is required: set --admin-token or MOCK_MIMECAST_ADMIN_TOKEN';

/**
 * Loads and validates the configuration. Throws one AppError('CONFIG_INVALID') listing every bad setting
 * (from any layer) in `details` as ConfigProblem entries.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const argv = sources.argv ?? {};
  const problems: ConfigProblem[] = [];
  const filePath = chooseFilePath(argv, sources.file, env);
  const layers: Layer[] = [];
  if (filePath !== null) {
    const fileLayer = readFileLayer(resolve(sources.cwd ?? process.cwd(), filePath), problems);
    if (fileLayer !== null) layers.push(fileLayer);
  }
  layers.push(buildLayer('env', (key) => readEnv(key, env)));
  layers.push(buildLayer('flag', (key) => readFlag(key, argv)));
  if (sources.overrides !== undefined) {
    const overrides = buildObjectLayer('override', 'overrides', sources.overrides, problems);
    if (overrides !== null) layers.push(overrides);
  }

  const merged = structuredClone(defaults) as unknown as Record<string, unknown>;
  const setBy = new Map<string, Origin>();
  for (const layer of layers) {
    mergeInto(merged, validateLayer(layer, problems));
    for (const [path, origin] of layer.origins) if (readPath(layer.input, path) !== undefined) setBy.set(path, origin);
  }
  deriveBaseUrls(merged, setBy);
  checkAdminToken(merged, setBy, problems);

  const result = configSchema.safeParse(merged);
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, setBy, merged)));
  if (problems.length > 0 || !result.success) throw buildError(problems);
  return result.data;
}

function chooseFilePath(argv: Partial<CliFlags>, file: string | null | undefined, env: Record<string, string | undefined>): string | null {
  if (argv.config !== undefined && argv.config !== '') return argv.config;
  if (file !== undefined) return file;
  return readNonEmpty(env[configFileKey.env]) ?? null;
}

function readFileLayer(path: string, problems: ConfigProblem[]): Layer | null {
  const fail = (problem: string): null => {
    problems.push({ path: '', source: 'file', name: path, value: path, problem });
    return null;
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'the config file does not exist' : `the config file cannot be read (${code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = loadYamlParser()(text);
  } catch (error) {
    return fail(`the config file is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return buildObjectLayer('file', path, parsed ?? {}, problems);
}

/** A layer given as nested settings (the YAML file, or overrides in code). */
function buildObjectLayer(source: ConfigSource, name: string, input: unknown, problems: ConfigProblem[]): Layer | null {
  if (!isPlainObject(input)) {
    const problem =
      source === 'file' ? 'the config file must be a YAML mapping of settings' : 'the overrides must be an object of settings';
    problems.push({ path: '', source, name, value: source === 'file' ? name : input, problem });
    return null;
  }
  const origins = new Map<string, Origin>();
  for (const leaf of listLeaves(input))
    origins.set(leaf, { source, name: source === 'file' ? name : `${name}.${leaf}`, raw: readPath(input, leaf) });
  return { source, input, origins };
}

type RawLookup = (key: ConfigKey) => { name: string; raw: unknown } | undefined;

function buildLayer(source: ConfigSource, lookup: RawLookup): Layer {
  const input: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  for (const key of configKeys) {
    const found = lookup(key);
    if (found === undefined) continue;
    let value = coerceValue(key, found.raw);
    if (source === 'env' && isNegatedVariable(key, found.name) && typeof value === 'boolean') value = !value;
    writePath(input, key.path, value);
    origins.set(key.path, { source, name: found.name, raw: found.raw });
  }
  return { source, input, origins };
}

/** Validates one layer; the bad settings become problems and the good ones still count. */
function validateLayer(layer: Layer, problems: ConfigProblem[]): ConfigLayer {
  const first = layerSchema.safeParse(layer.input);
  if (first.success) return first.data;
  const input = copyPlain(layer.input);
  for (const issue of first.error.issues) {
    problems.push(...describeIssue(issue, layer.origins, layer.input, layer.source));
    const base = issue.path.map(String);
    const doomed = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...base, key]) : [base];
    for (const path of doomed) deletePath(input, path);
  }
  layer.input = input;
  const second = layerSchema.safeParse(input);
  return second.success ? second.data : {};
}

function describeIssue(
  issue: z.core.$ZodIssue,
  origins: Map<string, Origin>,
  input: unknown,
  fallback: ConfigSource = 'file',
): ConfigProblem[] {
  const base = issue.path.map(String);
  const targets =
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...base, key].join('.'),
          problem: `unknown setting; known here: ${listKnownKeys(base.join('.')).join(', ')}`,
        }))
      : [{ path: base.join('.'), problem: issue.message }];
  return targets.map(({ path, problem }) => {
    const origin = findOrigin(origins, path);
    // Env and flag layers hold converted values, so show what the person typed instead.
    const exact = origins.get(path);
    const value = exact !== undefined && exact.source !== 'file' ? exact.raw : readPath(input, path);
    return { path, source: origin?.source ?? fallback, name: origin?.name ?? path, value: redactValue(path, value), problem };
  });
}

function findOrigin(origins: Map<string, Origin>, path: string): Origin | undefined {
  const exact = origins.get(path);
  if (exact !== undefined) return exact;
  for (const [leaf, origin] of origins) if (leaf.startsWith(`${path}.`) || path.startsWith(`${leaf}.`)) return origin;
  return undefined;
}

/**
 * Port given but URL not: the URL follows the port, since a stale :3000 URL would break every redirect.
 * With TLS on, the SP's URL follows the scheme too (https://localhost:<port>).
 */
function deriveBaseUrls(merged: Record<string, unknown>, setBy: Map<string, Origin>): void {
  const tls = (merged.tls as Partial<Config['tls']> | undefined)?.enabled === true;
  for (const role of ['sp', 'idp'] as const) {
    const section = merged[role] as Record<string, unknown>;
    const https = role === 'sp' && tls;
    if ((setBy.has(`${role}.port`) || https) && !setBy.has(`${role}.publicBaseUrl`) && typeof section.port === 'number') {
      section.publicBaseUrl = `${https ? 'https' : 'http'}://localhost:${section.port}`;
    }
  }
}

function checkAdminToken(merged: Record<string, unknown>, setBy: Map<string, Origin>, problems: ConfigProblem[]): void {
  if (merged.adminToken !== null && merged.adminToken !== undefined) return;
  const sp = merged.sp as Config['sp'];
  const idp = merged.idp as Config['idp'];
  const bound = [{ path: 'sp.host', host: sp.host }, ...(idp.enabled ? [{ path: 'idp.host', host: idp.host }] : [])];
  for (const { path, host } of bound) {
    if (typeof host !== 'string' || isLoopbackHost(host)) continue;
    const origin = setBy.get(path);
    problems.push({ path, source: origin?.source ?? 'file', name: origin?.name ?? path, value: host, problem: adminTokenProblem });
  }
}

function buildError(problems: ConfigProblem[]): AppError {
  const lines = problems.map((p) => {
    const where = p.path === '' ? `config file ${p.name}` : `${p.path} (${p.source} ${p.name} = ${JSON.stringify(p.value)})`;
    return `${where}: ${p.problem}`;
  });
  const needsToken = problems.some((p) => p.problem === adminTokenProblem);
  return new AppError('CONFIG_INVALID', `The configuration is not valid: ${lines.join('; ')}`, {
    details: problems,
    ...(needsToken
      ? { hint: 'Set --admin-token <token> (or MOCK_MIMECAST_ADMIN_TOKEN) to listen beyond loopback, or bind to 127.0.0.1.' }
      : {}),
  });
}

function redactValue(path: string, value: unknown): unknown {
  const key = configKeys.find((k) => k.path === path);
  if (key?.redact === 'value' && typeof value === 'string') return '<hidden>';
  if (key?.redact === 'credentials' && typeof value === 'string') return value.replace(/\/\/[^/@]*@/, '//***@');
  return value;
}

function listKnownKeys(prefix: string): string[] {
  const names = configKeys
    .map((key) => key.path)
    .filter((path) => prefix === '' || path.startsWith(`${prefix}.`))
    .map((path) => path.slice(prefix === '' ? 0 : prefix.length + 1).split('.')[0] ?? '');
  return [...new Set(names)];
}
