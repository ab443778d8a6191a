/**
 * One of the long fuzz run's workers (scripts/fuzz.ts): checks the scenario mutations it is sent, one
 * at a time, and answers each. Runs in a worker thread so that the main thread can stop a mutation
 * that never finishes — a hang is a finding like any other.
 */
import { parentPort } from 'node:worker_threads';
import { violation, type Mutation } from '../test/fuzz/scenarioMutations.js';

parentPort!.on('message', (message: { index: number; mutations: Mutation[] }) => {
  parentPort!.postMessage({ index: message.index, problem: violation(...message.mutations) });
});
