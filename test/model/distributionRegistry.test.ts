// A distribution is defined once, in its file of src/model/distributions/: the scenario schema's
// variants, help and normalization come from there (scenario/distSchema.ts only assembles them).
import type { DistObjectInput } from '../../src/model/distributions/index.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { distNames, distributions, distTypical } from '../../src/model/distributions/index.js';
import { DIST_NAMES, hasPositiveMean } from '../../src/scenario/schema.js';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.js';

describe('the distributions registry', () => {
  it('is the scenario format list, in order, each with a summary and described fields', () => {
    assert.deepEqual([...DIST_NAMES], distNames);
    for (const name of distNames) {
      const entry = distributions[name];
      assert.ok(entry.summary.length > 10, name);
      for (const [field, schema] of Object.entries(entry.fields(() => z.object({ weight: z.number(), dist: z.object({ dist: z.literal('constant'), value: z.number() }) })))) {
        assert.ok((schema as { description?: string }).description, `${name}.${field} has help`);
      }
    }
  });

  it('the JSON Schema names every distribution with its summary', () => {
    const text = JSON.stringify(scenarioJsonSchema());
    for (const name of distNames) assert.ok(text.includes(JSON.stringify(distributions[name].summary)), name);
  });

  it('a typical draw of at least 1 µs is what a think time needs', () => {
    assert.equal(distTypical({ dist: 'uniform', min: 0, max: 4 }), 2);
    assert.equal(distTypical({ dist: 'lognormal', median: 0.5, sigma: 3 }), 0.5);
    assert.equal(hasPositiveMean({ dist: 'lognormal', median: 0.5, sigma: 3 }), false);
    assert.equal(hasPositiveMean({ dist: 'empirical', samples: [0, 2] }), true);
    assert.equal(hasPositiveMean({ dist: 'empirical', file: 'x.csv' }), true);
    const mixture = (w: number) => ({ dist: 'mixture' as const, of: [{ weight: 1, dist: { dist: 'constant' as const, value: 0 } }, { weight: w, dist: { dist: 'constant' as const, value: 5 } }] });
    assert.equal(hasPositiveMean(mixture(1)), true);
    assert.equal(hasPositiveMean(mixture(0)), false);
  });
});

describe('DistObjectInput, derived from the registry', () => {
  it('types what a scenario may write, and refuses what it may not (checked by the compiler)', () => {
    const written: DistObjectInput[] = [
      { dist: 'lognormal', median: '5ms', p99: '1s' },
      { dist: 'uniform', min: 0, max: '2ms' },
      { dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: '1ms' }] },
    ];
    // @ts-expect-error a field the distribution does not have
    const unknownField: DistObjectInput = { dist: 'exponential', mean: '1ms', median: '1ms' };
    // @ts-expect-error a required field missing
    const missing: DistObjectInput = { dist: 'normal', mean: '1ms' };
    assert.equal(written.length + [unknownField, missing].length, 5);
  });
});
