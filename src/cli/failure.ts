import { AppError } from '../core/errors.js';

/**
 * What the CLI prints when a command cannot run, on one line: what happened and what to do. Things a
 * user does (an error from the catalogue, a file or folder the system refuses) never show a stack; only
 * an error nobody expected, a bug, does.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return `mock-mimecast: ${error.code}: ${error.message} Fix: ${error.hint}\n`;
  const system = error as NodeJS.ErrnoException | null;
  if (system instanceof Error && typeof system.code === 'string' && typeof system.syscall === 'string') {
    return `mock-mimecast: ${system.code}: ${system.message}. Fix: check the path or address and its permissions.\n`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `mock-mimecast: unexpected error, a bug in mock-mimecast; please report it with this output:\n${detail}\n`;
}
