import { describeMatrixReading, formatMatrixTable, runSignInMatrix } from '../testing/matrix.js';

/**
 * `mock-mimecast matrix`: Mimecast's two authentication-context switches × Entra sign-in methods,
 * each a real SP-initiated sign-in against an in-process harness (nothing listens beyond loopback,
 * nothing is stored). Prints a table and one line of reading, or the grid as JSON. Exit 0.
 */
export async function runMatrixCommand(options: { json?: boolean }): Promise<number> {
  const grid = await runSignInMatrix();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(grid, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${formatMatrixTable(grid)}\n\n${describeMatrixReading(grid)}\n`);
  return 0;
}
