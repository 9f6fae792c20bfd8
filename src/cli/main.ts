import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { defaults } from '../config/defaults.js';
import { configFileKey, configKeys } from '../config/keys.js';
import { CERTS_DIR } from '../runtime/keys.js';
import { describeFailure } from './failure.js';
import { formatEnvironmentHelp, formatExitCodesHelp } from './help-text.js';

/** The version in package.json, two levels up from both src/cli/ and dist/cli/. */
function readPackageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

// Each command's module (express, node-saml, the stores …) is imported when the command runs, so that
// --help, --version and usage errors answer without loading them.
const tables = `\n${formatExitCodesHelp()}\n\n${formatEnvironmentHelp()}\n`;

// exitOverride and the error display are set before any subcommand, which inherits them.
const program = new Command('mock-mimecast')
  .description(
    "A stand-in for Mimecast's SAML service provider, with an Entra-shaped mock IdP, to rehearse and test Entra ID SSO.\nWithout a command (or with only options) it runs start.",
  )
  .version(readPackageVersion(), '-V, --version', 'print the version and exit')
  .exitOverride()
  .showSuggestionAfterError(true)
  .showHelpAfterError("(run 'mock-mimecast --help', or 'mock-mimecast <command> --help', for usage)")
  .addHelpText('after', tables);

const start = program.command('start').description('Run the mock Mimecast SP (and the mock Entra unless --no-idp). The default command.');
for (const key of configKeys) {
  if (key.flag) start.addOption(new Option(key.flag, `${key.flagHelp ?? key.why}${key.env.length ? ` [env: ${key.env.join(', ')}]` : ''}`));
}
// Beside `--seed <mode>`: commander then reports false for --no-seed and nothing when neither is given.
start.addOption(new Option('--no-seed', 'Seed nothing, as --seed none [env: MOCK_MIMECAST_NO_SEED]'));
start.addOption(new Option(configFileKey.flag, `YAML configuration file [env: ${configFileKey.env}]`));
start.addHelpText('after', tables);
start.addOption(
  new Option('--workers <n>', 'Processes sharing the ports (node:cluster), state shared through SQLite WAL or Redis; auto: one per core.'),
);
start.action(async (flags) => (await import('./start.command.js')).runStartCommand(flags, process.env));

program
  .command('check <capture>')
  .description(
    'Check captured SAMLResponses offline: a HAR export, a SAML-tracer export (every SAMLResponse in it), raw XML, base64, a form body, or - for stdin. Exit 0 when every one would sign in, 1 when any would not, 2 when the input cannot be read.',
  )
  .option('--metadata <fileOrUrl>', "the IdP's federation metadata (Entra: App Federation Metadata Url or the downloaded XML)")
  .option('--cert <file...>', 'trusted IdP signing certificate(s), PEM or Base64')
  .option('--issuer <entityId>', 'expected Issuer (default: the metadata entityID)')
  .requiredOption('--acs <url>', 'the ACS URL the response must be addressed to (Reply URL)')
  .requiredOption('--audience <identifier>', "the SP's Identifier (Entity ID), e.g. https://eu-api.mimecast.com/sso/CUK12A34")
  .option('--now <iso>', 'judge time windows at this instant (default: when a HAR says the browser sent it, otherwise now)')
  .option('--skew <seconds>', 'allowed clock skew', '180')
  .option('--refuse-sha1', 'fail SHA-1 signatures instead of warning')
  .option('--json', 'print the results as JSON')
  .action(async (capture, options) => {
    process.exitCode = await (await import('./check.command.js')).runCheckCommand(capture, options);
  });

program
  .command('conformance')
  .description('Post hostile and broken SAML responses (and valid controls) to an in-process SP over HTTP; exit 1 if any deviates.')
  .option('--json', 'print the report as JSON')
  .option('--junit <file>', 'also write a JUnit XML report (its folder is created)')
  .option('--filter <text>', 'only cases whose id or reference contains this text')
  .action(async (options) => {
    process.exitCode = await (await import('./conformance.command.js')).runConformanceCommand(options);
  });

program
  .command('matrix')
  .description(
    "Mimecast's two authentication-context switches × Entra sign-in methods, as real in-process sign-ins; shows which end in AADSTS75011.",
  )
  .option('--json', 'print the grid as JSON')
  .action(async (options) => {
    process.exitCode = await (await import('./matrix.command.js')).runMatrixCommand(options);
  });

program
  .command('certs')
  .description(
    'Create the local CA and HTTPS certificate for start --tls (--ca), or regenerate the test-only keys under certs/ (--test-keys).',
  )
  .option(
    '--ca',
    `create a local CA (kept when it exists) and issue a server certificate for every Mimecast region host, localhost and 127.0.0.1 into --dir (default ${defaults.tls.dir})`,
    false,
  )
  .option('--test-keys', `regenerate the test-only certs/*.key and certs/*.crt into --dir (default ${CERTS_DIR})`, false)
  .option('--dir <dir>', 'where to write them')
  .action(async (options: { ca: boolean; testKeys: boolean; dir?: string }, command: Command) => {
    if (options.ca === options.testKeys) {
      command.error('error: pass exactly one of --ca (local CA and HTTPS certificate) or --test-keys (the test-only keys)', {
        code: 'mock-mimecast.usage',
      });
    }
    if (options.ca) {
      const { runCertsCommand } = await import('./certs.command.js');
      const lines = await runCertsCommand({ dir: options.dir ?? defaults.tls.dir });
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    const { writeTestKeys } = await import('./test-keys.js');
    for (const path of await writeTestKeys(options.dir ?? CERTS_DIR)) process.stdout.write(`wrote ${path}\n`);
  });

/** `mock-mimecast` alone, or with options only, is `start`, as it always was. */
function chooseArguments(args: string[]): string[] {
  const first = args[0];
  const programOnly = ['-h', '--help', '-V', '--version'];
  return first === undefined || (first.startsWith('-') && !programOnly.includes(first)) ? ['start', ...args] : args;
}

try {
  await program.parseAsync(chooseArguments(process.argv.slice(2)), { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the message (and the suggestion); help and --version end with 0.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(describeFailure(error));
  process.exit(2);
}
