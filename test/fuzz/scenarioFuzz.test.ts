// A short, seeded, deterministic run of the project's fuzzer in every `npm test`; the long run is
// `npm run fuzz -- --runs 5000` (scripts/fuzz.ts). See scenarioMutations.ts for the property.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FOUND, mutationArbitrary, violation } from './scenarioMutations.js';

describe('fuzzing scenarios: one line of refusal or a run with finite figures', () => {
  it('every finding of earlier runs stays fixed', () => {
    for (const mutation of FOUND) assert.equal(violation(mutation), null, JSON.stringify(mutation));
  });

  it('150 seeded mutations of the shipped scenarios', () => {
    fc.assert(
      fc.property(mutationArbitrary(), (mutation) => {
        const problem = violation(mutation);
        assert.equal(problem, null, `${JSON.stringify(mutation)}: ${problem}`);
      }),
      { seed: 14, numRuns: 150 },
    );
  });
});
