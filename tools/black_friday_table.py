#!/usr/bin/env python3
"""The Black Friday table (issue 18): runs scenarios/black-friday-whole.yaml with strategy none
(analytics on its own replica), strategy token (LSN routing, wait mode) and the reporting job on the
app replicas, for seeds 1-6, and prints each figure as a mean over seeds with its 95% t-interval
(replications). Run from the repository root after building: python3 tools/black_friday_table.py"""
import json, math, statistics, subprocess, sys

SEEDS = [1, 2, 3, 4, 5, 6]
T975 = {5: 2.5706}  # Student t, 0.975, df = seeds - 1


def run(seed, *args):
    out = subprocess.run(['node', 'bin/lagsim.js', 'run', 'scenarios/black-friday-whole.yaml', '--json', '--seed', str(seed), *args],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def interval(xs):
    m = statistics.mean(xs)
    half = T975[len(xs) - 1] * statistics.stdev(xs) / math.sqrt(len(xs))
    return m, m - half, m + half


def row(name, case, xs, fmt):
    m, lo, hi = interval(xs)
    print(f'| {name} | {case} | {fmt % m} [{fmt % lo}, {fmt % hi}] |')


def app_median(d):
    p = [r['lagMs']['p50'] for r in d['monitor']['replicas'] if r['node'].startswith('replica-')]
    return sum(p) / len(p)


def old_disk(d):
    return next(r for r in d['monitor']['replicas'] if r['node'].startswith('old-disk'))


def firing(d, name):
    alert = next(a for a in d['monitor']['alerts'] if a['name'] == name)
    return next((f for f in alert['firings'] if f['node'].startswith('old-disk')), None)


none = [run(s) for s in SEEDS]
token = [run(s, '--strategy', 'token') for s in SEEDS]
before = [run(s, '--set', 'clients.1.actions.0.target=replica') for s in SEEDS]
print('| figure | case | lagsim, mean of seeds 1-6 [95% t-interval] |')
print('|---|---|---|')
row('"order not found", random routing (none)', '~8%', [100 * d['anomalies']['ryw']['rateEligible'] for d in none], '%.2f%%')
row('peak scraped lag of the lagging replica, s', '5-10 s', [old_disk(d)['lagMs']['max'] / 1000 for d in none], '%.1f')
row('"order not found", LSN routing (token)', '0.02%', [100 * d['anomalies']['ryw']['rateEligible'] for d in token], '%.3f%%')
row('duplicate orders per 1,000 sessions, none', '-', [d['reactions']['duplicates']['per1000Sessions'] for d in none], '%.1f')
row('duplicate orders per 1,000 sessions, token', '-', [d['reactions']['duplicates']['per1000Sessions'] for d in token], '%.3f')
row('duplicate orders down, %', '~94%', [100 * (1 - t['reactions']['duplicates']['count'] / n['reactions']['duplicates']['count']) for n, t in zip(none, token)], '%.2f')
row('median scraped lag, app replicas, analytics on them, ms', '2,100 ms', [app_median(d) for d in before], '%.0f')
row('median scraped lag, app replicas, analytics moved, ms', '180 ms', [app_median(d) for d in none], '%.0f')
row('LSN routing: added median read latency, ms', '< 5 ms', [t['costs']['readLatencyMs']['p50'] - n['costs']['readLatencyMs']['p50'] for n, t in zip(none, token)], '%.3f')
row('LSN routing: longest wait, ms', '<= 200 ms', [d['costs']['waitMs']['max'] for d in token], '%.0f')
row('LSN routing: share of reads that wait, %', '-', [100 * d['costs']['waits'] / d['costs']['reads'] for d in token], '%.2f')
f1 = [firing(d, 'lag-1s') for d in none]
f5 = [firing(d, 'lag-5s') for d in none]
print(f"| 1 s alert fires (surge 240-480 s), s | during the surge | fired in {sum(f is not None for f in f1)}/6 runs at "
      f"{', '.join('%.0f' % (f['firedMs'] / 1000) for f in f1 if f)}; resolved at {', '.join('%.0f' % (f['resolvedMs'] / 1000) for f in f1 if f)} |")
print(f"| 5 s alert fires, s | during the surge | fired in {sum(f is not None for f in f5)}/6 runs at "
      f"{', '.join('%.0f' % (f['firedMs'] / 1000) for f in f5 if f)} |")
row('1 s alert: onset to firing, s', '-', [(f['firedMs'] - f['onsetMs']) / 1000 for f in f1 if f], '%.1f')
