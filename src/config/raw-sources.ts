/** Where one setting is read from the environment and the command line, by its row of the settings table. */
import type { CliFlags, ConfigKey } from './keys.js';

/** Whether this variable of the row says the opposite of its setting. */
export function isNegatedVariable(key: ConfigKey, name: string): boolean {
  return key.envNegated === true || (Array.isArray(key.envNegated) && key.envNegated.includes(name));
}

/** The first of the row's variables that is set (an empty one counts as unset). */
export function readEnv(key: ConfigKey, env: Record<string, string | undefined>): { name: string; raw: unknown } | undefined {
  for (const name of key.env) {
    // An empty variable counts as unset: compose files and shells often export NAME= to mean "none".
    const raw = readNonEmpty(env[name]);
    if (raw !== undefined) return { name, raw };
  }
  return undefined;
}

/** The row's flag, when the command line gave it. */
export function readFlag(key: ConfigKey, argv: Partial<CliFlags>): { name: string; raw: unknown } | undefined {
  if (key.flagKey === null || key.flag === null) return undefined;
  const raw = argv[key.flagKey];
  if (raw === undefined) return undefined;
  // Commander reports true for a negatable flag that was not used, so only false carries news; a
  // mode flag's true is that same report (`--seed <mode>` beside `--no-seed`).
  if ((key.flag.startsWith('--no-') || key.kind === 'mode') && raw === true) return undefined;
  return { name: key.flag.split(' ')[0] ?? key.flag, raw };
}

/** The value, or undefined when it is missing or blank. */
export function readNonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
