import assert from 'node:assert/strict';
import { InputError } from '../../src/text/errors.js';

/**
 * The one line the CLI prints (`<file>: <path>: <message>`) for the InputError that `f` throws; any
 * other error propagates, and throwing nothing fails the test.
 */
export function inputErrorLine(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return error.format();
    throw error;
  }
  return assert.fail('expected an InputError');
}
