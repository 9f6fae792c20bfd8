import { formatConformanceTable } from '../conformance/format-table.js';
import { buildJunitXml } from '../conformance/junit-report.js';
import { runConformance } from '../conformance/run-conformance.js';
import type { ConformanceReport } from '../conformance/types.js';
import { AppError } from '../core/errors.js';
import { prepareOutputFolder, writeOutputFile } from './cli-files.js';

/** The command's flags: `--json`, `--junit <file>` (its folder is created), `--filter <text>`. */
export interface ConformanceOptions {
  /** Print the report as JSON on stdout instead of the table. */
  json?: boolean;
  /** Also write a JUnit XML report to this file. */
  junit?: string;
  /** Only cases whose id or reference contains this text. */
  filter?: string;
}

/**
 * `mock-mimecast conformance`: posts every hostile and broken variant (and the valid controls) to a
 * freshly seeded in-process SP over real HTTP and reports each outcome. Exit 0 when every case went as
 * expected, 1 when any hostile message signed in or any case deviated. `write` receives what is printed
 * (stdout by default).
 */
export async function runConformanceCommand(
  options: ConformanceOptions = {},
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  if (options.junit) prepareOutputFolder(options.junit, '--junit');
  const report = await runConformance(options.filter === undefined ? {} : { filter: options.filter });
  if (report.total === 0) {
    throw new AppError('VALIDATION_FAILED', `No conformance case matches --filter "${options.filter ?? ''}".`, {
      hint: 'Filter on part of a case id or reference, e.g. --filter xsw or --filter CVE-2025.',
    });
  }
  if (options.junit) writeOutputFile(options.junit, buildJunitXml(report), '--junit');
  write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatConformanceTable(report)}\n`);
  return chooseConformanceExitCode(report);
}

/** 1 when any hostile message signed in or any case deviated from its expectation, else 0. */
export function chooseConformanceExitCode(report: Pick<ConformanceReport, 'failed' | 'hostileSignedIn'>): 0 | 1 {
  return report.failed > 0 || report.hostileSignedIn.length > 0 ? 1 : 0;
}
