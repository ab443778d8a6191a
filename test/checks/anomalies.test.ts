import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANOMALIES, ANOMALY_DEFINITIONS, FLAG_BITS, GUARANTEES, flagNames } from '../../src/checks/anomalies.js';
import { FACTS } from '../../src/checks/anomaly/definition.js';
import { HISTORY_VALUES } from '../../src/text/messages.js';
import { ReactionSchema } from '../../src/scenario/clientSchema.js';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';

test('the registry: one flag bit per anomaly in order, unique names and titles, facts the checker keeps', () => {
  assert.deepEqual(ANOMALIES.map((name) => FLAG_BITS[name]), ANOMALIES.map((_, i) => 1 << i));
  assert.equal(new Set(ANOMALIES).size, ANOMALIES.length);
  assert.equal(new Set(ANOMALY_DEFINITIONS.map((d) => d.title)).size, ANOMALIES.length);
  for (const definition of ANOMALY_DEFINITIONS) assert.ok((FACTS as readonly string[]).includes(definition.fact), definition.name);
  assert.deepEqual(flagNames((1 << ANOMALIES.length) - 1), ANOMALIES);
  assert.deepEqual(GUARANTEES, ['ryw', 'mr', 'cp']);
});

// src/text imports nothing of src/, so its wording of the flags is checked against the registry here.
test('the history messages name exactly the registry’s flags', () => {
  assert.equal(HISTORY_VALUES.flag, `one of: ${ANOMALIES.join(', ')}`);
  assert.equal(HISTORY_VALUES.flags, `a list of flags (${ANOMALIES.join(', ')})`);
});

test('a reaction can be triggered by every anomaly of the registry, and by notFound', () => {
  for (const on of [...ANOMALIES, 'notFound']) assert.ok(ReactionSchema.safeParse({ on, p: 0.5, do: 'refresh' }).success, on);
  assert.equal(ReactionSchema.safeParse({ on: 'lost', p: 0.5, do: 'refresh' }).success, false);
});

test('each anomaly counts a key-read eligible exactly when the session has its fact', () => {
  // A fresh session reading a key nobody wrote (leader ABSENT): only stale is eligible (and not violated).
  const checker = new ConsistencyChecker();
  assert.equal(checker.checkRead(0, 1, [7], [-1], [null], [-1], true), 0);
  assert.deepEqual(ANOMALIES.map((name) => checker.counts[name].eligible), ANOMALIES.map((name) => (name === 'stale' ? 1 : 0)));
  assert.deepEqual(ANOMALIES.map((name) => checker.counts[name].keyReads), ANOMALIES.map(() => 1));
});
