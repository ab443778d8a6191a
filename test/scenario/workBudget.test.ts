// The work budget: an upper bound on the operations a run starts, checked before it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseScenarioText } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { DEFAULT_MAX_OPERATIONS, estimateWork } from '../../src/scenario/workBudget.js';
import { ExitCode } from '../../src/text/exitCodes.js';
import { BIN, REPO_ROOT } from '../helpers/sim.js';
import { inputErrorLine } from '../helpers/inputError.js';
import { YAML_TEXT } from '../helpers/scenarioText.js';

const parse = (sets: string[], maxOperations?: number) => parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), sets, maxOperations);

test('closed loop: sessions × (warm-up + duration) / mean think', () => {
  // 500 sessions, think Exp(mean 3 s), 10 minutes: 500 × 600 / 3.
  assert.equal(estimateWork(parse([])).operations, 100_000);
  assert.equal(estimateWork(parse(['warmup=60s'])).operations, (500 * 660) / 3);
  // An action's own think time counts when it is the shortest.
  assert.equal(estimateWork(parse(['clients.0.actions.1.think=1s'])).operations, 500 * 600);
});

test('open loop: peak rate × (warm-up + duration) × steps, over every group', () => {
  const openLoop = YAML_TEXT.replace('sessions: 500', 'rate: 20\n    steps: 3');
  const s = parseScenarioText(openLoop, 'x.yaml', dataFilesIn('.'), ['duration=100s', 'clients.0.schedule=[{at: 10s, rate: 50}, {at: 20s, rate: 5}]']);
  assert.equal(estimateWork(s).operations, 50 * 100 * 3);
});

test('a heavy-tailed think time without a mean is counted at its median', () => {
  const s = parse(['clients.0.think={dist: pareto, shape: 0.5, scale: 1s}', 'duration=100s']);
  // Pareto median = scale × 2^(1/shape) = 4 s.
  assert.equal(estimateWork(s).operations, (500 * 100) / 4);
});

test('periodic work: what comes with simulated time rather than with operations counts too', () => {
  const periodic = (sets: string[]): number => {
    const estimate = estimateWork(parse(sets));
    return estimate.total - estimate.operations;
  };
  const noLevels = 'cluster.replicas.0.lagHold=0';
  // Lag levels: 1 copy × 600 s / lagHold 1 s (the default); none with a fresh lag per entry.
  assert.equal(periodic([]), 600);
  assert.equal(periodic([noLevels]), 0);
  // A recurring fault: a start and an end every (every + for) = 12 s.
  assert.equal(periodic([noLevels, 'faults={events: [{every: 10s, pause: us-west-0-1, for: 2s}]}']), 100);
  // Lag polls, scrapes and position polls visit every node (a leader and a replica): 2 × 600 s / period.
  assert.equal(periodic([noLevels, 'balancer={maxLag: 1s, poll: 500ms}']), 2_400);
  assert.equal(periodic([noLevels, 'monitor={every: 15s}']), 80);
  assert.equal(periodic([noLevels, 'strategy={name: token, poll: 100ms}']), 12_000);
  // A strategy that compare or sweep may run counts too: the most frequent poll of any.
  assert.equal(periodic([noLevels, 'strategyOptions={token: {poll: 1s}, sticky: {}}', 'strategy={name: token, poll: 100ms}']), 12_000);
  assert.equal(periodic([noLevels, 'strategyOptions={token: {poll: 50ms}}']), 24_000);
  // Stalls are walked through: 1 copy × 600 s / (every + for).
  assert.equal(periodic([noLevels, 'cluster.replicas.0.stalls={every: 9s, for: 1s}']), 60);
  // On/off periods of an open-loop group: 600 s / (on + off).
  const onOff = parseScenarioText(YAML_TEXT.replace('sessions: 500', 'rate: 20\n    arrivals: {process: onoff, on: 2s, off: 4s}'), 'x.yaml', dataFilesIn('.'), [noLevels]);
  assert.equal(estimateWork(onOff).total - estimateWork(onOff).operations, 100);
});

test('above the budget because of a period: one line on that field, naming its formula', () => {
  assert.equal(
    inputErrorLine(() => parse(['faults={events: [{every: 1us, pause: us-west-0-1, for: 1us}]}'])),
    'x.yaml: faults.events.0.every: expected at most 1e8 operations and periodic steps in one run, got an estimate of 6e8, mostly this field\'s 2 × (warm-up + duration) / (every + for): lengthen its period, shorten the run, or raise the limit with --max-operations',
  );
  assert.match(inputErrorLine(() => parse(['strategyOptions={token: {poll: 1us}}'])), /^x\.yaml: strategyOptions\.token\.poll: expected at most 1e8 operations and periodic steps /);
  assert.match(inputErrorLine(() => parse(['balancer={maxLag: 1s, poll: 1us}'])), /^x\.yaml: balancer\.poll: expected at most 1e8 operations and periodic steps in one run, got an estimate of 1\.2e9, /);
  // The limit can be raised like any other.
  assert.equal(parse(['faults={events: [{every: 1us, pause: us-west-0-1, for: 1us}]}'], 1e9).faults.events.length, 1);
});

test('above the budget: one line on the busiest group, naming the estimate and the flag', () => {
  assert.equal(
    inputErrorLine(() => parse(['warmup=1000000000'])),
    `x.yaml: clients.0: expected at most 1e8 operations in one run, got an estimate of 1.68e8 (sessions × (warm-up + duration) / think time, or peak rate × (warm-up + duration) × steps): shorten the run or lower the load, or raise the limit with --max-operations`,
  );
  assert.equal(DEFAULT_MAX_OPERATIONS, 1e8);
  // 100,000 operations and 600 lag level changes (the periodic work above).
  assert.match(inputErrorLine(() => parse([], 100_599)), /^x\.yaml: clients\.0: expected at most 100599 operations in one run, got an estimate of 100600 /);
  assert.equal(parse([], 100_600).clients.length, 1);
});

test('lagsim --max-operations raises the budget, is validated, and is part of the reproduce line', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const refused = run(['validate', 'scenarios/ghost-post.yaml', '--set', 'warmup=1000000000']);
  assert.equal(refused.status, ExitCode.badInput);
  assert.match(refused.stderr, /^scenarios\/ghost-post\.yaml: clients\.0: expected at most 1e8 operations in one run, got an estimate of 2.01e8 .*--max-operations\n$/);
  assert.equal(run(['validate', 'scenarios/ghost-post.yaml', '--set', 'warmup=1000000000', '--max-operations', '3e8']).status, ExitCode.ok);
  assert.equal(run(['--max-operations', '3e8', 'validate', 'scenarios/ghost-post.yaml', '--set', 'warmup=1000000000']).status, ExitCode.ok);
  const bad = run(['validate', 'scenarios/ghost-post.yaml', '--max-operations', 'lots']);
  assert.equal(bad.status, ExitCode.badInput);
  assert.equal(bad.stderr, '--max-operations: expected a number of operations of at least 1, such as 1e9, got "lots"\n');
  const ran = run(['run', 'scenarios/ghost-post.yaml', '--duration', '1s', '--max-operations', '5e8']);
  assert.equal(ran.status, ExitCode.ok);
  assert.match(ran.stdout, /reproduce: npx lagsim run --max-operations 5e8 scenarios\/ghost-post\.yaml --set duration=1s --seed 1\n/);
});
