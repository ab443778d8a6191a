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

  it('rejects a session that is not a number with one line and exit 2', () => {
    const { code, stderr } = lagsim(['explain', shippedScenarios()[0]!, '--session', 'x']);
    assert.equal(code, 2);
    assert.equal(stderr, '--session: expected a session number (1, 2, ...), got "x"\n');
  });
});
