// The reference that ships in the repository (docs/semantics.md, docs/scenario-format.md) checked
// against the running code: the scenario fields are generated from the schema and all documented,
// every example validates or checks clean, and every relative link in README.md, docs/ and
// `--help` resolves inside the repository.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import { fieldRows, distRows, renderScenarioFormatDoc, SCENARIO_FORMAT_DOC } from '../../scripts/scenarioFormatDoc.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { BIN, REPO_ROOT } from '../helpers/sim.js';

const read = (path: string): string => readFileSync(path, 'utf8');

/** The fenced blocks of a markdown text with the given info string. */
function fencedBlocks(markdown: string, info: string): string[] {
  const blocks: string[] = [];
  const re = new RegExp('^```' + info + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const m of markdown.matchAll(re)) blocks.push(m[1]!);
  return blocks;
}

describe('docs/scenario-format.md', () => {
  it('its field tables are what scripts/scenarioFormatDoc.ts generates from the schema today (npm run docs)', () => {
    const current = read(SCENARIO_FORMAT_DOC);
    assert.equal(renderScenarioFormatDoc(current), current, 'docs/scenario-format.md is out of date: run `npm run docs`');
  });

  it('every field and every distribution field has a type and a description', () => {
    const rows = [...fieldRows(), ...distRows()];
    assert.ok(rows.length > 80, `${rows.length} rows`);
    for (const row of rows) {
      assert.ok(row.description.trim().length > 0, `${row.path}: no description`);
      if (!row.path.startsWith('dist: ')) assert.ok(row.type.length > 0, `${row.path}: no type`);
    }
    const doc = read(SCENARIO_FORMAT_DOC);
    for (const top of ['name', 'duration', 'keyspace', 'cluster', 'network', 'clients', 'balancer', 'strategy', 'strategyOptions', 'faults']) {
      assert.ok(doc.includes('| `' + top + '` |'), `${top} in the table`);
    }
  });

  // A minimal valid scenario; each example replaces the top-level sections it gives.
  const base = {
    name: 'doc-example',
    duration: '1s',
    cluster: { leader: { region: 'us-east' }, replicas: [{ region: 'us-west', lag: '100ms' }] },
    network: { latency: { 'us-east/us-west': '35ms' } },
    clients: [{ name: 'users', region: 'us-west', sessions: 2, think: '1s', actions: [{ do: 'read', key: 'popular' }] }],
  };
  const examples = fencedBlocks(read(SCENARIO_FORMAT_DOC), 'yaml');
  it('has examples', () => assert.ok(examples.length >= 8, `${examples.length} yaml examples`));
  examples.forEach((text, i) => {
    it(`yaml example ${i + 1} validates (${text.split('\n')[0]})`, () => {
      const fragment = YAML.parse(text) as Record<string, unknown>;
      const doc = { ...base, ...fragment };
      const scenario = scenarioFromDocument(doc, `scenario-format.md example ${i + 1}`, dataFilesIn(REPO_ROOT));
      assert.equal(scenario.name, doc.name);
    });
  });
});

describe('docs/semantics.md', () => {
  const blocks = fencedBlocks(read(join(REPO_ROOT, 'docs', 'semantics.md')), 'jsonl');
  it('has worked histories', () => assert.ok(blocks.length >= 5, `${blocks.length} jsonl blocks`));
  blocks.forEach((text, i) => {
    it(`worked history ${i + 1}: its flags are the definitions' flags`, () => {
      const result = checkHistory(text, `semantics.md history ${i + 1}`);
      assert.deepEqual(result.mismatches, []);
      const violations = Object.values(result.counts).reduce((sum, c) => sum + c.violations, 0);
      assert.ok(violations > 0, 'each worked history shows at least one violation');
    });
  });
});

// ---- Links ---------------------------------------------------------------------------------------

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(headingAnchor(m[1]!));
  return anchors;
}

function markdownFiles(): string[] {
  const files = [join(REPO_ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(REPO_ROOT, 'docs'));
  return files;
}

/** Problems with the relative links of one markdown text read from `file`. */
function linkProblems(markdown: string, file: string): string[] {
  const problems: string[] = [];
  const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  for (const m of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target)) continue;
    const [pathPart, anchor] = target.split('#') as [string, string | undefined];
    const resolved = pathPart === '' ? file : resolve(dirname(file), pathPart);
    const where = `${relative(REPO_ROOT, file)}: (${target})`;
    if (relative(REPO_ROOT, resolved).startsWith('..')) problems.push(`${where} leaves the repository`);
    else if (!existsSync(resolved)) problems.push(`${where} does not exist`);
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) problems.push(`${where}: no heading #${anchor}`);
  }
  for (const m of markdown.matchAll(/\.\.\/shared\b[^\s`)]*/g)) problems.push(`${relative(REPO_ROOT, file)}: names ${m[0]}, which does not ship`);
  return problems;
}

describe('links', () => {
  it('every relative link in README.md and docs/**/*.md resolves inside the repository (headings included)', () => {
    const problems = markdownFiles().flatMap((file) => linkProblems(read(file), file));
    assert.deepEqual(problems, []);
  });

  it('a broken link, an anchor without a heading and ../shared are found', () => {
    const file = join(REPO_ROOT, 'docs', 'x.md');
    assert.deepEqual(linkProblems('[a](nope.md) [b](semantics.md#no-such) [c](semantics.md#6-failover) see ../shared/spec/x.md', file), [
      'docs/x.md: (nope.md) does not exist',
      'docs/x.md: (semantics.md#no-such): no heading #no-such',
      'docs/x.md: names ../shared/spec/x.md, which does not ship',
    ]);
    assert.equal(headingAnchor('`balancer`, `strategy`, `strategyOptions`'), 'balancer-strategy-strategyoptions');
    assert.equal(headingAnchor('6. Failover'), '6-failover');
  });

  it('--help of every command names only files that ship', () => {
    const top = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    assert.ok(commands.length >= 10, top.stdout);
    for (const args of [[], ...commands.map((c) => [c])]) {
      const help = spawnSync(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8' }).stdout;
      assert.doesNotMatch(help, /\.\.\/shared/, `lagsim ${args.join(' ')} --help`);
      for (const m of help.matchAll(/\b([\w/.-]+\.md)(#[\w-]+)?/g)) {
        const path = join(REPO_ROOT, m[1]!);
        assert.ok(existsSync(path), `lagsim ${args.join(' ')} --help names ${m[1]}, which does not exist`);
        if (m[2]) assert.ok(anchorsOf(read(path)).has(m[2].slice(1)), `lagsim ${args.join(' ')} --help: ${m[0]}: no such heading`);
      }
    }
  });
});

describe('README.md', () => {
  it('the head-of-line table is what its command prints today (replicaLag p50 and p99, rounded to ms)', () => {
    const readme = read(join(REPO_ROOT, 'README.md'));
    const rows = [...readme.matchAll(/^\| (\d+) \| (\d+) ms \| (\d+) ms \|$/gm)].map((m) => m.slice(1, 4).map(Number));
    assert.equal(rows.length, 4, 'the table of writes/s, observed lag p50 and p99');
    for (const [rate, p50, p99] of rows) {
      const r = spawnSync(process.execPath, [BIN, 'run', join(REPO_ROOT, 'docs/examples/head-of-line.yaml'), '--set', `clients.0.rate=${rate}`, '--json'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const lag = (JSON.parse(r.stdout) as { replicaLag: { lagMs: { p50: number; p99: number } }[] }).replicaLag[0]!.lagMs;
      assert.deepEqual([rate, p50, p99], [rate, Math.round(lag.p50), Math.round(lag.p99)]);
    }
  });
});
