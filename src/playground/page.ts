/**
 * The playground page: controls, views and lessons. Simulation happens in a Web Worker created from
 * the worker's code inlined in the page (a Blob URL, so the page works from file://).
 */
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import YAML from 'yaml';
import { ANOMALIES } from '../checks/anomalies.js';
import { ANOMALY_LABELS } from '../report/charts/common.js';
import { timeSeriesChart } from '../report/charts/timeSeriesChart.js';
import { chartWindowUs, explainChart, reasonText } from '../report/explain.js';
import type { RunSummary } from '../report/summary.js';
import { cliCommand, decodeHash, docShape, encodeHash, knobOverrides, runOverrides, scenarioFile, type DocShape, type Knobs, type PlaygroundState } from './knobs.js';
import { LESSONS } from './lessons.js';
import type { ScenarioInput, StoryData, WorkerReply, WorkerRequest } from './protocol.js';

declare const LAGSIM_SCENARIOS: Record<string, string>;
declare const LAGSIM_STRATEGIES: string[];

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const workerUrl = URL.createObjectURL(new Blob([$('worker-src').textContent ?? ''], { type: 'text/javascript' }));

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * One long-lived worker per kind of job: a new request (or a cancel) makes the worker drop the one
 * in flight at its next step, and replies to older requests are ignored.
 */
class Job {
  private readonly worker = new Worker(workerUrl);
  private id = 0;
  private onReply: (reply: WorkerReply) => void = () => undefined;
  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (event.data.id === this.id) this.onReply(event.data);
    };
  }
  start(request: DistributiveOmit<WorkerRequest, 'id'>, onReply: (reply: WorkerReply) => void): void {
    this.id++;
    this.onReply = onReply;
    this.worker.postMessage({ ...request, id: this.id } as WorkerRequest);
  }
  cancel(): void {
    this.id++;
    this.worker.postMessage({ kind: 'cancel', id: this.id } satisfies WorkerRequest);
  }
}
const runJob = new Job();
const auxJob = new Job();

let state: PlaygroundState = decodeHash(location.hash, 'ghost-post');
let shape: DocShape = { replicaGroups: 0, clientActions: [] };
let lastSummary: RunSummary | null = null;
const scenarioNames = Object.keys(LAGSIM_SCENARIOS).sort();

function scenarioText(): string {
  return state.edited ?? LAGSIM_SCENARIOS[state.scenario] ?? '';
}

function input(): ScenarioInput {
  return { text: scenarioText(), sourceName: scenarioFile(state), overrides: runOverrides(state, shape), strategy: state.strategy };
}

// ---- charts --------------------------------------------------------------------------------------

const views = new Map<HTMLElement, View>();

/** Draws a Vega-Lite spec into `target` (SVG), replacing what was drawn there. */
async function draw(target: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const vega = compile({ ...spec, $schema: undefined } as TopLevelSpec).spec;
  views.get(target)?.finalize();
  target.innerHTML = '';
  const view = new View(parseVega(vega), { renderer: 'svg', container: target, hover: true, logLevel: 1 });
  views.set(target, view);
  await view.runAsync();
  target.dataset['drawn'] = 'yes';
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(3)}%`);

function anomalyTable(summary: Pick<RunSummary, 'anomalies' | 'costs'>, status: string): void {
  const rows = ANOMALIES.map((name) => {
    const a = summary.anomalies[name];
    const interval = a.rateInterval === null ? '' : `[${pct(a.rateInterval.low)}, ${pct(a.rateInterval.high)}]`;
    return `<tr data-anomaly="${name}"><td>${ANOMALY_LABELS[name]}</td><td class="num rate">${pct(a.rate)}</td><td class="num">${interval}</td><td class="num">${a.violations}</td><td class="num">${a.keyReads}</td></tr>`;
  }).join('');
  const c = summary.costs;
  $('table').innerHTML =
    `<p class="status">${status}</p><table><thead><tr><th>anomaly</th><th>rate</th><th>95% interval</th><th>violations</th><th>key reads</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="costs">reads ${c.reads} · writes ${c.writes} · leader share <b id="leader-share">${pct(c.leaderShare)}</b> · read p99 ${c.readLatencyMs.p99 ?? '–'} ms · redirects ${c.redirects} · waits ${c.waits}</p>`;
}

function rateChart(summary: RunSummary): TopLevelSpec {
  const values = ANOMALIES.map((name) => ({
    anomaly: ANOMALY_LABELS[name],
    rate: summary.anomalies[name].rate ?? 0,
    lo: summary.anomalies[name].rateInterval?.low ?? 0,
    hi: summary.anomalies[name].rateInterval?.high ?? 0,
  }));
  return {
    width: 420,
    height: 140,
    data: { values },
    layer: [
      { mark: 'bar', encoding: { y: { field: 'anomaly', type: 'nominal', title: null }, x: { field: 'rate', type: 'quantitative', axis: { format: '.2~%' }, title: 'violation rate (95% interval)' } } },
      { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'anomaly', type: 'nominal' }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
  } as TopLevelSpec;
}

function storyView(summary: RunSummary, story: StoryData): void {
  const box = $('story-list');
  if (story.sessionId === null) {
    box.innerHTML = '<p>No session showed an anomaly.</p>';
    return;
  }
  const items = story.operations
    .filter((op) => op.kind === 'read' && !op.warmup)
    .slice(0, 60)
    .map((op, i) => {
      const text = op.kind === 'read' ? op.reads.map((r) => `${r.key} v${r.version} from ${r.node}`).join('; ') : '';
      const why = op.reasons.map((r) => `✗ ${reasonText(r)}`).join('<br>') || 'no anomaly: every key at or past what the session needed';
      return `<li class="read${op.flags.length ? ' bad' : ''}" data-i="${i}"><button>${(op.startUs / 1000).toFixed(1)} ms · read ${text}${op.flags.length ? ` [${op.flags.join(', ')}]` : ''}</button><div class="why" hidden>${why}</div></li>`;
    })
    .join('');
  box.innerHTML = `<p>Session ${story.sessionId} (group ${story.group}), the first with an anomaly. Click a read to see why.</p><ol>${items}</ol>`;
  box.querySelectorAll('li.read > button').forEach((button) =>
    button.addEventListener('click', () => {
      const why = button.nextElementSibling as HTMLElement;
      why.hidden = !why.hidden;
    }),
  );
  const shown = story.operations.filter((op) => !op.warmup).slice(0, 40);
  void draw($('chart-story'), explainChart(shown, story.sessionId, summary.scenario, chartWindowUs(shown, undefined, undefined)) as TopLevelSpec);
}

// ---- running ---------------------------------------------------------------------------------------

function refreshShape(): boolean {
  try {
    shape = docShape(YAML.parse(scenarioText()));
    return true;
  } catch {
    shape = { replicaGroups: 0, clientActions: [] };
    return false;
  }
}

function startRun(): void {
  const startedMs = performance.now();
  history.replaceState(null, '', encodeHash(state));
  refreshShape();
  $('cli').textContent = cliCommand(state, shape);
  $('error').textContent = '';
  $('yaml-error').textContent = '';
  document.body.dataset['state'] = 'running';
  delete document.body.dataset['firstPartialMs'];
  delete document.body.dataset['numbersMs'];
  let first = true;
  runJob.start({ kind: 'run', input: input() }, (reply) => {
    if (reply.kind === 'partial') {
      if (first) {
        first = false;
        document.body.dataset['firstPartialMs'] = String(Math.round(performance.now() - startedMs));
      }
      anomalyTable(reply.partial, `simulating… ${Math.round((100 * reply.nowUs) / reply.endUs)}% of simulated time`);
    } else if (reply.kind === 'done') {
      if (reply.series === null) {
        lastSummary = reply.summary;
        document.body.dataset['numbersMs'] = String(Math.round(performance.now() - startedMs));
        anomalyTable(reply.summary, `done: ${(reply.summary.durationMs + reply.summary.warmupMs) / 1000} s simulated in ${Math.round(reply.wallMs)} ms`);
        $('summary-json').textContent = JSON.stringify(reply.summary);
        document.body.dataset['wallMs'] = String(Math.round(reply.wallMs));
        void draw($('chart-rates'), rateChart(reply.summary));
      } else if (reply.story === null) {
        void draw($('chart-lag'), timeSeriesChart(reply.series.rows, reply.series.faultLog, reply.summary.scenario) as TopLevelSpec);
      } else {
        storyView(reply.summary, reply.story);
        document.body.dataset['state'] = 'done';
        document.body.dataset['done'] = location.hash;
      }
    } else if (reply.kind === 'error') {
      $('error').textContent = reply.line;
      $('yaml-error').textContent = reply.line;
      const status = $('table').querySelector('.status');
      if (status !== null) status.textContent = 'not run: the scenario has a mistake; the numbers below are of the last scenario that ran';
      document.body.dataset['state'] = 'error';
    }
  });
}

const SWEEPS: Record<string, { label: string; values: number[] }> = {
  lagMedianMs: { label: 'lag median (ms)', values: [50, 100, 200, 400, 800, 1600] },
  lagHoldMs: { label: 'lag hold (ms)', values: [0, 250, 500, 1000, 2000, 4000] },
  thinkMeanMs: { label: 'think time mean (ms)', values: [250, 500, 1000, 2000, 4000] },
  writeShare: { label: 'write share', values: [0.05, 0.1, 0.2, 0.33, 0.5] },
  pinWindowMs: { label: 'pin window (ms)', values: [0, 250, 500, 1000, 2000, 5000] },
};

function startSweep(): void {
  const knob = ($('sweep-knob') as HTMLSelectElement).value as keyof Knobs;
  const sweep = SWEEPS[knob]!;
  const base = { ...state.knobs };
  delete base[knob];
  const baseInput = { ...input(), overrides: runOverrides({ ...state, knobs: base }, shape) };
  const extra = sweep.values.map((value) => ({
    label: String(value),
    value,
    overrides: knobOverrides({ [knob]: value } as Knobs, shape, state.strategy),
  }));
  const points: { value: number; measure: string; rate: number }[] = [];
  $('chart-sweep').innerHTML = '';
  auxJob.start({ kind: 'sweep', input: baseInput, extra }, (reply) => {
    if (reply.kind === 'point') {
      for (const name of ANOMALIES) points.push({ value: reply.value, measure: ANOMALY_LABELS[name], rate: reply.summary.anomalies[name].rate ?? 0 });
      points.push({ value: reply.value, measure: 'leader share', rate: reply.summary.costs.leaderShare ?? 0 });
      void draw($('chart-sweep'), {
        width: 420,
        height: 200,
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: sweep.label },
          y: { field: 'rate', type: 'quantitative', axis: { format: '.1~%' }, title: 'rate' },
          color: { field: 'measure', type: 'nominal', title: null },
        },
      } as TopLevelSpec);
    } else if (reply.kind === 'error') $('error').textContent = reply.line;
  });
}

function startCompare(): void {
  const rows: { strategy: string; measure: string; rate: number }[] = [];
  const table: string[] = [];
  $('chart-compare').innerHTML = '';
  auxJob.start({ kind: 'compare', input: input(), strategies: LAGSIM_STRATEGIES }, (reply) => {
    if (reply.kind === 'point') {
      const s = reply.summary;
      for (const name of ANOMALIES) rows.push({ strategy: reply.label, measure: ANOMALY_LABELS[name], rate: s.anomalies[name].rate ?? 0 });
      table.push(`<tr data-strategy="${reply.label}"><td>${reply.label}</td>${ANOMALIES.map((n) => `<td class="num">${pct(s.anomalies[n].rate)}</td>`).join('')}<td class="num">${pct(s.costs.leaderShare)}</td><td class="num">${s.costs.readLatencyMs.p99 ?? '–'}</td></tr>`);
      $('compare-table').innerHTML = `<table><thead><tr><th>strategy</th>${ANOMALIES.map((n) => `<th>${ANOMALY_LABELS[n]}</th>`).join('')}<th>leader share</th><th>read p99 ms</th></tr></thead><tbody>${table.join('')}</tbody></table>`;
      void draw($('chart-compare'), {
        width: 420,
        height: 180,
        data: { values: rows },
        mark: 'bar',
        encoding: {
          x: { field: 'strategy', type: 'nominal', title: null, sort: LAGSIM_STRATEGIES, axis: { labelAngle: 0 } },
          xOffset: { field: 'measure' },
          y: { field: 'rate', type: 'quantitative', axis: { format: '.1~%' }, title: 'violation rate' },
          color: { field: 'measure', type: 'nominal', title: null },
        },
      } as TopLevelSpec);
    } else if (reply.kind === 'error') $('error').textContent = reply.line;
  });
}

// ---- controls ----------------------------------------------------------------------------------------

interface Slider {
  knob: keyof Knobs;
  label: string;
  min: number;
  max: number;
  step: number;
  initial: number;
}
const SLIDERS: Slider[] = [
  { knob: 'lagMedianMs', label: 'lag median (ms)', min: 10, max: 3000, step: 10, initial: 300 },
  { knob: 'lagP99Ms', label: 'lag p99 (ms)', min: 20, max: 10000, step: 10, initial: 1200 },
  { knob: 'lagHoldMs', label: 'lag hold (ms)', min: 0, max: 5000, step: 50, initial: 1000 },
  { knob: 'thinkMeanMs', label: 'think time mean (ms)', min: 50, max: 5000, step: 50, initial: 1000 },
  { knob: 'replicas', label: 'replicas (first group)', min: 1, max: 8, step: 1, initial: 1 },
  { knob: 'writeShare', label: 'write share', min: 0.01, max: 0.9, step: 0.01, initial: 0.33 },
  { knob: 'pinWindowMs', label: 'pin window (ms)', min: 0, max: 10000, step: 50, initial: 2000 },
  { knob: 'stickyPinAfterWriteMs', label: 'sticky pin after write (ms, 0 = off)', min: 0, max: 10000, step: 50, initial: 0 },
];

function syncControls(): void {
  ($('scenario') as HTMLSelectElement).value = state.scenario;
  ($('strategy') as HTMLSelectElement).value = state.strategy ?? '';
  ($('seed') as HTMLInputElement).value = state.seed === null ? '' : String(state.seed);
  ($('duration') as HTMLInputElement).value = state.durationS === null ? '' : String(state.durationS);
  ($('yaml') as HTMLTextAreaElement).value = scenarioText();
  for (const slider of SLIDERS) {
    const value = state.knobs[slider.knob] as number | undefined;
    ($(`knob-${slider.knob}`) as HTMLInputElement).value = String(value ?? slider.initial);
    $(`value-${slider.knob}`).textContent = value === undefined ? 'scenario' : String(value);
  }
  ($('knob-tokenMode') as HTMLSelectElement).value = state.knobs.tokenMode ?? '';
  ($('knob-tokenTrack') as HTMLSelectElement).value = state.knobs.tokenTrack ?? '';
}

function changed(): void {
  // A sweep or comparison was of the previous state: cancelled and cleared.
  auxJob.cancel();
  for (const id of ['chart-sweep', 'chart-compare']) {
    views.get($(id))?.finalize();
    $(id).innerHTML = '';
  }
  $('compare-table').innerHTML = '';
  syncControls();
  startRun();
}

function buildControls(): void {
  $('scenario').innerHTML = scenarioNames.map((n) => `<option>${n}</option>`).join('');
  $('strategy').innerHTML = `<option value="">(scenario's)</option>${LAGSIM_STRATEGIES.map((n) => `<option>${n}</option>`).join('')}`;
  $('sliders').innerHTML = SLIDERS.map(
    (s) => `<label>${s.label} <b id="value-${s.knob}"></b><input type="range" id="knob-${s.knob}" min="${s.min}" max="${s.max}" step="${s.step}"></label>`,
  ).join('');
  $('sweep-knob').innerHTML = Object.entries(SWEEPS).map(([k, s]) => `<option value="${k}">${s.label}</option>`).join('');
  for (const s of SLIDERS) {
    $(`knob-${s.knob}`).addEventListener('input', (event) => {
      (state.knobs as Record<string, number>)[s.knob] = Number((event.target as HTMLInputElement).value);
      changed();
    });
  }
  for (const name of ['tokenMode', 'tokenTrack'] as const) {
    $(`knob-${name}`).addEventListener('change', (event) => {
      const value = (event.target as HTMLSelectElement).value;
      if (value === '') delete state.knobs[name];
      else state.knobs[name] = value;
      changed();
    });
  }
  $('scenario').addEventListener('change', (event) => {
    state = { ...state, scenario: (event.target as HTMLSelectElement).value, edited: null, knobs: {}, strategy: null };
    changed();
  });
  $('strategy').addEventListener('change', (event) => {
    const value = (event.target as HTMLSelectElement).value;
    state.strategy = value === '' ? null : value;
    changed();
  });
  $('seed').addEventListener('change', (event) => {
    const text = (event.target as HTMLInputElement).value.trim();
    state.seed = /^\d+$/.test(text) ? Number(text) : null;
    changed();
  });
  $('duration').addEventListener('change', (event) => {
    const value = Number((event.target as HTMLInputElement).value);
    state.durationS = value > 0 ? value : null;
    changed();
  });
  $('apply-yaml').addEventListener('click', () => {
    const text = ($('yaml') as HTMLTextAreaElement).value;
    state.edited = text === LAGSIM_SCENARIOS[state.scenario] ? null : text;
    changed();
  });
  $('reset').addEventListener('click', () => {
    state = { scenario: state.scenario, edited: null, strategy: null, seed: null, durationS: null, knobs: {} };
    changed();
  });
  $('copy-cli').addEventListener('click', () => {
    void navigator.clipboard?.writeText($('cli').textContent ?? '').catch(() => undefined);
  });
  $('run-sweep').addEventListener('click', startSweep);
  $('run-compare').addEventListener('click', startCompare);
  $('lessons').innerHTML = LESSONS.map(
    (l) => `<li id="lesson-${l.id}"><h3>${l.title}</h3><p><b>Question.</b> ${l.question}</p><p><b>Move.</b> ${l.move}</p><p class="notice" hidden><b>Notice.</b> ${l.notice}</p><button class="open">open</button> <button class="try">try it</button></li>`,
  ).join('');
  for (const lesson of LESSONS) {
    const item = $(`lesson-${lesson.id}`);
    item.querySelector('.open')!.addEventListener('click', () => {
      state = { scenario: lesson.scenario, edited: null, strategy: lesson.strategy, seed: null, durationS: state.durationS, knobs: {} };
      changed();
    });
    item.querySelector('.try')!.addEventListener('click', () => {
      if (lesson.knob === 'strategy') state.strategy = String(lesson.tryValue);
      else {
        if (lesson.knob === 'tokenTrack') state.strategy = 'token';
        (state.knobs as Record<string, unknown>)[lesson.knob] = lesson.tryValue;
      }
      (item.querySelector('.notice') as HTMLElement).hidden = false;
      changed();
    });
  }
  window.addEventListener('hashchange', () => {
    if (location.hash === encodeHash(state)) return;
    state = decodeHash(location.hash, 'ghost-post');
    changed();
  });
}

buildControls();
if (!scenarioNames.includes(state.scenario)) state.scenario = 'ghost-post';
changed();
void lastSummary;
