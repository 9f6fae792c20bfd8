/**
 * The parts of `--help` that are tables: the exit codes, and every environment variable the program
 * reads (from the settings table in config/keys.ts), also rendered as the README's table.
 */
import { configFileKey, configKeys } from '../config/keys.js';

/** One environment variable: the setting it feeds, the flag that wins over it, the default and why. */
export interface EnvironmentVariable {
  name: string;
  /** Dotted setting path, or `config file` for MOCK_MIMECAST_CONFIG. */
  setting: string;
  flag: string | null;
  default: string;
  why: string;
}

/** The exit codes every command shares. */
export const EXIT_CODES = [
  { code: 0, meaning: 'ran, and the result is good (check: every response would sign in; conformance: every case went as expected)' },
  { code: 1, meaning: 'ran, and the result is bad (a response would not sign in, a case deviated)' },
  { code: 2, meaning: 'could not run: a usage error, an input that cannot be read, a port in use, an invalid configuration' },
] as const;

function showDefault(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return String(value);
}

function negated(key: (typeof configKeys)[number], name: string): boolean {
  return key.envNegated === true || (Array.isArray(key.envNegated) && key.envNegated.includes(name));
}

/** Every environment variable, in the settings table's order, MOCK_MIMECAST_CONFIG first. */
export function listEnvironmentVariables(): EnvironmentVariable[] {
  const file: EnvironmentVariable = {
    name: configFileKey.env,
    setting: 'config file',
    flag: configFileKey.flag.split(' ')[0] ?? null,
    default: 'none',
    why: 'YAML configuration file; flags and variables win over it.',
  };
  const rest = configKeys.flatMap((key) =>
    key.env.map((name) => ({
      name,
      setting: key.path,
      flag: key.flag?.split(' ')[0] ?? null,
      // A negated variable (MOCK_MIMECAST_NO_IDP) defaults to the opposite of its setting.
      default: negated(key, name)
        ? typeof key.default === 'boolean'
          ? String(!key.default)
          : 'false'
        : key.redact === 'value' && key.default !== null
          ? '(hidden)'
          : showDefault(key.default),
      why: negated(key, name) ? `true turns ${key.path} off. ${key.why}` : key.why,
    })),
  );
  return [file, ...rest];
}

/** The exit codes, as --help shows them. */
export function formatExitCodesHelp(): string {
  return ['Exit codes:', ...EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`)].join('\n');
}

/** The environment variables, as --help shows them: name, the setting and its flag. */
export function formatEnvironmentHelp(): string {
  const variables = listEnvironmentVariables();
  const width = Math.max(...variables.map((v) => v.name.length));
  const lines = variables.map((v) => `  ${v.name.padEnd(width)}  ${v.setting}${v.flag ? ` (${v.flag})` : ''}, default ${v.default}`);
  return ['Environment (for start; a flag wins over its variable, a variable over the --config file):', ...lines].join('\n');
}

/** The README's table of environment variables (Markdown), generated so that it cannot drift. */
export function formatEnvironmentTable(): string {
  const escapeCell = (text: string) => text.replaceAll('|', '\\|');
  const rows = listEnvironmentVariables().map(
    (v) => `| \`${v.name}\` | \`${v.setting}\` | ${v.flag ? `\`${v.flag}\`` : '—'} | ${escapeCell(v.default)} | ${escapeCell(v.why)} |`,
  );
  return ['| variable | setting | flag | default | what |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
