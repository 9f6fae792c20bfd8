import { Command, Option } from 'commander';
import { defaults } from '../config/defaults.js';
import { configFileKey, configKeys } from '../config/load.js';
import { AppError } from '../core/errors.js';
import { CERTS_DIR } from '../runtime/keys.js';
import { runCertsCommand } from './certs.command.js';
import { runCheckCommand } from './check.command.js';
import { runConformanceCommand } from './conformance.command.js';
import { runMatrixCommand } from './matrix.command.js';
import { runStartCommand } from './start.command.js';
import { writeTestKeys } from './test-keys.js';

const program = new Command('mock-mimecast')
  .description("A stand-in for Mimecast's SAML service provider, with an Entra-shaped mock IdP, to rehearse and test Entra ID SSO.")
  .showHelpAfterError();

const start = program.command('start', { isDefault: true }).description('Run the mock Mimecast SP (and the mock Entra unless --no-idp).');
for (const key of configKeys) {
  if (key.flag) start.addOption(new Option(key.flag, `${key.why}${key.env.length ? ` [env: ${key.env.join(', ')}]` : ''}`));
}
start.addOption(new Option(configFileKey.flag, `YAML configuration file [env: ${configFileKey.env}]`));
start.addOption(new Option('--workers <n>', 'Processes sharing the ports (node:cluster), state shared through SQLite WAL or Redis; auto: one per core.'));
start.action(async (flags) => runStartCommand(flags, process.env));

program
  .command('check <response>')
  .description('Check a captured SAMLResponse offline (file, base64, XML, form body, or - for stdin). Exit 0 when it would sign in.')
  .option('--metadata <fileOrUrl>', "the IdP's federation metadata (Entra: App Federation Metadata Url or the downloaded XML)")
  .option('--cert <file...>', 'trusted IdP signing certificate(s), PEM or Base64')
  .option('--issuer <entityId>', 'expected Issuer (default: the metadata entityID)')
  .requiredOption('--acs <url>', 'the ACS URL the response must be addressed to (Reply URL)')
  .requiredOption('--audience <identifier>', "the SP's Identifier (Entity ID), e.g. https://eu-api.mimecast.com/sso/CUK12A34")
  .option('--now <iso>', 'judge time windows at this instant (re-check an old capture)')
  .option('--skew <seconds>', 'allowed clock skew', '180')
  .option('--refuse-sha1', 'fail SHA-1 signatures instead of warning')
  .option('--json', 'print the results as JSON')
  .action(async (response, options) => {
    process.exitCode = await runCheckCommand(response, options);
  });

program
  .command('conformance')
  .description('Post hostile and broken SAML responses (and valid controls) to an in-process SP over HTTP; exit 1 if any deviates.')
  .option('--json', 'print the report as JSON')
  .option('--junit <file>', 'also write a JUnit XML report')
  .option('--filter <text>', 'only cases whose id or reference contains this text')
  .action(async (options) => {
    process.exitCode = await runConformanceCommand(options);
  });

program
  .command('matrix')
  .description("Mimecast's two authentication-context switches × Entra sign-in methods, as real in-process sign-ins; shows which end in AADSTS75011.")
  .option('--json', 'print the grid as JSON')
  .action(async (options) => {
    process.exitCode = await runMatrixCommand(options);
  });

program
  .command('certs')
  .description('Create the local CA and HTTPS certificate for start --tls (--ca), or regenerate the test-only keys under certs/ (--test-keys).')
  .option('--ca', `create a local CA (kept when it exists) and issue a server certificate for every Mimecast region host, localhost and 127.0.0.1 into --dir (default ${defaults.tls.dir})`, false)
  .option('--test-keys', `regenerate the test-only certs/*.key and certs/*.crt into --dir (default ${CERTS_DIR})`, false)
  .option('--dir <dir>', 'where to write them')
  .action(async (options: { ca: boolean; testKeys: boolean; dir?: string }) => {
    if (options.ca === options.testKeys) {
      program.error('Pass exactly one of --ca (local CA and HTTPS certificate) or --test-keys (the test-only keys).');
    }
    if (options.ca) {
      const lines = await runCertsCommand({ dir: options.dir ?? defaults.tls.dir });
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    for (const path of await writeTestKeys(options.dir ?? CERTS_DIR)) process.stdout.write(`wrote ${path}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AppError) {
    process.stderr.write(`${error.code}: ${error.message}\n  fix: ${error.hint}\n`);
    if (Array.isArray(error.details)) for (const d of error.details) process.stderr.write(`  - ${JSON.stringify(d)}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
