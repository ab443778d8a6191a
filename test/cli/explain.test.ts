// lagsim explain: one session's story, with each anomaly in the words of its definition.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, shippedScenarios, tempDir } from '../helpers/sim.js';

function lagsim(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('lagsim explain', () => {
  it('tells a read-your-writes violation exactly as its definition does', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'one.yaml');
      // One session: write its own row at t = 100 ms, read it 50 ms later from a replica 1 s behind.
      writeFileSync(
        file,
        [
          'name: one',
          'duration: 1s',
          'cluster: { leader: { region: r }, replicas: [ { region: r, lag: 1s } ] }',
          'clients:',
          '  - { name: u, region: r, sessions: 1, order: cycle, think: 100ms, actions: [ { do: write, key: own }, { do: read, key: own } ] }',
        ].join('\n'),
      );
      const svg = join(dir, 'timeline.svg');
      const { code, stdout, stderr } = lagsim(['explain', file, '--to', '300ms', '--chart', svg]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^session 1 \(group u\) · one · strategy none · seed 1$/m);
      assert.match(stdout, / {5}100\.0 {6}write own-u-1-0 → version 1 on leader-0: committed at 100\.0 ms, acknowledged at 100\.0 ms$/m);
      assert.match(stdout, /applied on replica-0-1 at 1100\.0 ms \(1000\.0 ms after commit\)/);
      assert.ok(
        stdout.includes(
          '✗ read-your-writes: read own-u-1-0 at version 0 from replica-0-1, but this session wrote version 1 of it (acknowledged at t=100.0 ms)',
        ),
        stdout,
      );
      assert.ok(existsSync(svg) && readFileSync(svg, 'utf8').startsWith('<svg'));
    } finally {
      cleanup();
    }
  });

  it('works on every shipped scenario and lands on a session with an anomaly', () => {
    for (const file of shippedScenarios()) {
      // black-friday's anomalies come with its surge, minutes in: it runs whole.
      const shorten = file.endsWith('black-friday.yaml') ? [] : ['--duration', '20s'];
      const { code, stdout, stderr } = lagsim(['explain', file, ...shorten]);
      assert.equal(code, 0, `${file}: ${stderr}`);
      assert.match(stdout, /^session \d+ \(group [\w-]+\)/, file);
      assert.match(stdout, /✗ /, `${file}: the chosen session shows an anomaly`);
    }
  });

  it('after a failover tells each write applied only where it was: the new leader has one replica left, not two', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'failover.yaml');
      // One session writes every 50 ms; each write takes 100 ms on the leader, which crashes at
      // 5,020 ms, and replica-0-1 takes over at 6,020 ms, leaving replica-0-2 as the only replica.
      writeFileSync(
        file,
        [
          'name: failover',
          'duration: 10s',
          'keyspace: { count: 10 }',
          'cluster:',
          '  leader: { region: dc, writeService: { dist: constant, value: 100ms } }',
          '  replicas: [ { name: replica, region: dc, count: 2, lag: { dist: constant, value: 10ms } } ]',
          'clients:',
          '  - { name: s, region: dc, sessions: 1, think: { dist: constant, value: 50ms }, actions: [ { do: write, key: popular } ] }',
          'faults: { failoverTime: 1s, events: [ { at: 5020ms, crash: leader-0 } ] }',
        ].join('\n'),
      );
      const { code, stdout, stderr } = lagsim(['explain', file, '--session', '1', '--from', '4.8s', '--to', '6.3s']);
      assert.equal(code, 0, stderr);
      const lines = stdout.split('\n');
      const writes = lines.flatMap((line, i) => (/ write k\d → version \d+ on /.test(line) ? [i] : []));
      const appliesAfter = (i: number): string[] => {
        const applies: string[] = [];
        for (let j = i + 1; j < lines.length && /^ {16}applied on /.test(lines[j]!); j++) applies.push(lines[j]!.trim());
        return applies;
      };
      const before = writes.filter((i) => lines[i]!.includes('on leader-0'));
      const after = writes.filter((i) => lines[i]!.includes('on replica-0-1'));
      assert.ok(before.length >= 1 && after.length >= 4, stdout);
      for (const i of before) assert.deepEqual(appliesAfter(i).map((line) => line.split(' at ')[0]), ['applied on replica-0-1', 'applied on replica-0-2'], stdout);
      for (const i of after) {
        const commitMs = Number(/committed at ([\d.]+) ms/.exec(lines[i]!)![1]);
        assert.deepEqual(appliesAfter(i), [`applied on replica-0-2 at ${(commitMs + 10).toFixed(1)} ms (10.0 ms after commit)`], stdout);
      }
      assert.doesNotMatch(stdout, /\(-[\d.]+ ms after commit\)/);
    } finally {
      cleanup();
    }
  });

  it('tells when each write was actually applied: after a pause that began after its commit, or never, lost in a failover', () => {
    const { dir, cleanup } = tempDir();
    try {
      const pause = join(dir, 'pause.yaml');
      // Version 1 commits at 25 ms, scheduled on the replica at 35 ms; the pause from 30 ms to 80 ms
      // holds it until 80 ms, and the read at 50 ms gets version 0 from that replica.
      writeFileSync(
        pause,
        [
          'name: pause',
          'duration: 100ms',
          'cluster: { leader: { region: r }, replicas: [ { region: r, lag: { dist: constant, value: 10ms } } ] }',
          'clients:',
          '  - { name: u, region: r, sessions: 1, order: cycle, think: { dist: constant, value: 25ms }, actions: [ { do: write, key: own }, { do: read, key: own } ] }',
          'faults: { events: [ { at: 30ms, pause: replica-0-1, for: 50ms } ] }',
        ].join('\n'),
      );
      const paused = lagsim(['explain', pause, '--session', '1']);
      assert.equal(paused.code, 0, paused.stderr);
      assert.match(paused.stdout, / {6}25\.0 {6}write own-u-1-0 → version 1 on leader-0: committed at 25\.0 ms, acknowledged at 25\.0 ms\n {16}applied on replica-0-1 at 80\.0 ms \(55\.0 ms after commit\)\n/);
      assert.match(paused.stdout, / {6}50\.0 {6}read own-u-1-0 version 0 from replica-0-1 /);
      assert.doesNotMatch(paused.stdout, /at 35\.0 ms/);

      const lost = join(dir, 'lost.yaml');
      // Writes every 50 ms, the replica 10 ms behind; the leader crashes at 5,005 ms, before version
      // 100 (committed at 5,000 ms) reaches the replica, promoted at 6,005 ms without it.
      writeFileSync(
        lost,
        [
          'name: lost',
          'duration: 6500ms',
          'cluster: { leader: { region: r }, replicas: [ { region: r, lag: { dist: constant, value: 10ms } } ] }',
          'clients:',
          '  - { name: u, region: r, sessions: 1, think: { dist: constant, value: 50ms }, actions: [ { do: write, key: own } ] }',
          'faults: { failoverTime: 1s, events: [ { at: 5005ms, crash: leader-0 } ] }',
        ].join('\n'),
      );
      const failover = lagsim(['explain', lost, '--session', '1', '--from', '4.9s', '--to', '5s']);
      assert.equal(failover.code, 0, failover.stderr);
      assert.match(failover.stdout, /version 99 on leader-0: committed at 4950\.0 ms, acknowledged at 4950\.0 ms\n {16}applied on replica-0-1 at 4960\.0 ms \(10\.0 ms after commit\)\n/);
      assert.match(failover.stdout, /version 100 on leader-0: committed at 5000\.0 ms, acknowledged at 5000\.0 ms\n {16}never applied on replica-0-1 \(lost in the failover: the new leader never had it\)\n/);
    } finally {
      cleanup();
    }
  });

  it('rejects a session that is not a number with one line and exit 2', () => {
    const { code, stderr } = lagsim(['explain', shippedScenarios()[0]!, '--session', 'x']);
    assert.equal(code, 2);
    assert.equal(stderr, '--session: expected a session number (1, 2, ...), got "x"\n');
  });
});
