import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../core/errors.js';

/**
 * Reads a file named on the command line. A missing or unreadable file is the user's to fix, so it becomes
 * INPUT_NOT_FOUND or INPUT_UNREADABLE naming the option (`--cert`) or argument it came from, never a stack.
 */
export function readInputFile(path: string, givenAs: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? 'error';
    const details = { path, givenAs, errno };
    if (errno === 'ENOENT' || errno === 'ENOTDIR') {
      throw new AppError('INPUT_NOT_FOUND', `${givenAs} ${path}: no such file.`, { details });
    }
    const why = errno === 'EISDIR' ? 'it is a folder, not a file' : errno === 'EACCES' ? 'permission denied' : errno;
    throw new AppError('INPUT_UNREADABLE', `${givenAs} ${path} cannot be read: ${why}.`, { details });
  }
}

/**
 * Writes a report file named on the command line, creating its folder first (`--junit reports/x.xml`
 * into a fresh checkout); a folder that cannot be made or a file that cannot be written is
 * OUTPUT_UNWRITABLE naming the option.
 */
export function writeOutputFile(path: string, text: string, givenAs: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text, 'utf8');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('OUTPUT_UNWRITABLE', `${givenAs} ${path} cannot be written: ${errno === 'EACCES' ? 'permission denied' : errno}.`, {
      details: { path, givenAs, errno },
    });
  }
}

/** Fails early, before a long run, when the folder of an output file cannot be created. */
export function prepareOutputFolder(path: string, givenAs: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('OUTPUT_UNWRITABLE', `${givenAs} ${path}: its folder cannot be created (${errno}).`, {
      details: { path, givenAs, errno },
    });
  }
}
