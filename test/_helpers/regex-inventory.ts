/**
 * Every regular expression in a source tree, found by parsing rather than by searching text: esbuild
 * strips the TypeScript, acorn parses the JavaScript (it tells a regex from a division by grammar and
 * refuses an invalid pattern), and a walk of the syntax tree collects
 * - each regex literal, with its source and flags;
 * - each place a pattern is made at run time (`new RegExp(…)`, `RegExp(…)`, a string handed to
 *   `.match`, `.matchAll` or `.search`), which no static analysis can check;
 * - each zod string format (`z.email()`, `z.iso.datetime()` …), whose pattern lives inside zod.
 * A file that does not parse throws, so nothing is skipped silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parse } from 'acorn';
import { transformSync } from 'esbuild';

export interface FoundRegex {
  file: string;
  source: string;
  flags: string;
}

export interface FoundCode {
  file: string;
  /** The expression as esbuild printed it, to search the source for. */
  code: string;
}

export interface FoundFormat extends FoundCode {
  format: string;
}

export interface RegexInventory {
  literals: FoundRegex[];
  /** Patterns built at run time. */
  dynamic: FoundCode[];
  zodFormats: FoundFormat[];
}

const SCANNED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const STRING_TO_REGEXP_METHODS = new Set(['match', 'matchAll', 'search']);

/** zod 4's string formats and checks that run a pattern of zod's own. */
export const ZOD_PATTERN_FORMATS = new Set([
  'email',
  'url',
  'httpUrl',
  'hostname',
  'emoji',
  'base64',
  'base64url',
  'hex',
  'jwt',
  'nanoid',
  'cuid',
  'cuid2',
  'ulid',
  'ipv4',
  'ipv6',
  'mac',
  'cidrv4',
  'cidrv6',
  'hash',
  'uuid',
  'uuidv4',
  'uuidv6',
  'uuidv7',
  'guid',
  'e164',
  'datetime',
  'date',
  'time',
  'duration',
  'lowercase',
  'uppercase',
  'stringFormat',
  'templateLiteral',
]);

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function visit(node: AstNode, fn: (node: AstNode) => void): void {
  fn(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, fn);
    } else if (isNode(value)) {
      visit(value, fn);
    }
  }
}

function readRegex(node: unknown): { pattern: string; flags: string } | null {
  if (!isNode(node) || node.type !== 'Literal') return null;
  return (node.regex as { pattern: string; flags: string } | undefined) ?? null;
}

function readPropertyName(member: AstNode): string | null {
  const property = member.property as AstNode;
  if (member.computed === true) return property.type === 'Literal' && typeof property.value === 'string' ? property.value : null;
  return property.type === 'Identifier' ? (property.name as string) : null;
}

/** The identifier a chain like `z.string().trim().regex` starts from. */
function readChainRoot(node: AstNode): string | null {
  let current: AstNode = node;
  for (;;) {
    if (current.type === 'Identifier') return current.name as string;
    if (current.type === 'MemberExpression') current = current.object as AstNode;
    else if (current.type === 'CallExpression') current = current.callee as AstNode;
    else if (current.type === 'ChainExpression') current = current.expression as AstNode;
    else return null;
  }
}

function isRegExpCallee(callee: AstNode): boolean {
  if (callee.type === 'Identifier') return callee.name === 'RegExp';
  return callee.type === 'MemberExpression' && readPropertyName(callee) === 'RegExp';
}

/** The regular expressions of one module's text (TypeScript or JavaScript). */
export function scanModule(file: string, text: string): RegexInventory {
  const loader = file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts') ? 'ts' : 'js';
  const js = transformSync(text, { loader, format: 'esm', target: 'esnext', sourcefile: file }).code;
  const ast = parse(js, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as AstNode;
  const found: RegexInventory = { literals: [], dynamic: [], zodFormats: [] };
  const show = (node: AstNode) => ({ file, code: js.slice(node.start, node.end).slice(0, 160) });

  // Names bound to regex literals (fine to hand to .match) and to zod chains (their formats count).
  const regexNames = new Set<string>();
  const zodNames = new Set<string>(['z']);
  visit(ast, (node) => {
    if (node.type !== 'VariableDeclarator' || !isNode(node.id) || node.id.type !== 'Identifier' || !isNode(node.init)) return;
    if (readRegex(node.init)) regexNames.add(node.id.name as string);
    const root = readChainRoot(node.init);
    if (root !== null && zodNames.has(root)) zodNames.add(node.id.name as string);
  });

  visit(ast, (node) => {
    const regex = readRegex(node);
    if (regex) found.literals.push({ file, source: regex.pattern, flags: regex.flags });
    if ((node.type === 'NewExpression' || node.type === 'CallExpression') && isRegExpCallee(node.callee as AstNode)) {
      found.dynamic.push(show(node));
      return;
    }
    if (node.type !== 'CallExpression' || !isNode(node.callee) || node.callee.type !== 'MemberExpression') return;
    const method = readPropertyName(node.callee);
    if (method === null) return;
    const first = (node.arguments as AstNode[])[0];
    if (STRING_TO_REGEXP_METHODS.has(method) && first !== undefined) {
      const isPattern = readRegex(first) !== null || (first.type === 'Identifier' && regexNames.has(first.name as string));
      if (!isPattern) found.dynamic.push(show(node));
    }
    const root = readChainRoot(node.callee);
    if (ZOD_PATTERN_FORMATS.has(method) && root !== null && zodNames.has(root)) found.zodFormats.push({ ...show(node), format: method });
  });
  return found;
}

/** Every source file under `root` that can hold a pattern, sorted. */
export function listSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SCANNED_EXTENSIONS.has(extname(entry.name))) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

/** The inventory of every file under `root`, file names relative to `base`. */
export function scanTree(root: string, base: string): RegexInventory & { files: string[] } {
  const files = listSourceFiles(root);
  const all: RegexInventory & { files: string[] } = {
    files: files.map((f) => relative(base, f)),
    literals: [],
    dynamic: [],
    zodFormats: [],
  };
  for (const path of files) {
    const one = scanModule(relative(base, path), readFileSync(path, 'utf8'));
    all.literals.push(...one.literals);
    all.dynamic.push(...one.dynamic);
    all.zodFormats.push(...one.zodFormats);
  }
  return all;
}
