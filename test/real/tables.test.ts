// `--table` is spliced into SQL: only plain lower-case identifiers of at most 40 characters pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from '../../src/text/messages.js';
import { checkTablePrefix } from '../../src/real/tables.js';
import { InputError } from '../../src/text/errors.js';

describe('checkTablePrefix', () => {
  it('takes plain identifiers', () => {
    for (const prefix of ['lagsim', 'a', 'run_2', `a${'b'.repeat(39)}`]) assert.equal(checkTablePrefix(prefix), prefix);
  });

  it('refuses anything that could change the SQL, in one line', () => {
    for (const prefix of ['', '2fast', 'Lagsim', 'x-y', 'x; drop table t', 'x"', `a${'b'.repeat(40)}`, 'é']) {
      assert.throws(
        () => checkTablePrefix(prefix),
        (error: unknown) => error instanceof InputError && error.format() === `--table: ${messages.expectedTablePrefix(prefix)}`,
      );
    }
  });
});
