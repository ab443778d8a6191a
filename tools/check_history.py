#!/usr/bin/env python3
"""Independent checker of lagsim history files (JSON Lines, docs/semantics.md, section 4).

Usage: check_history.py HISTORY.jsonl [--json] [--t-visibility-edges MS,MS,...]

Recomputes the four anomalies defined in docs/semantics.md, section 3 (ryw, mr, cp,
stale), straight from their definitions, and checks every read record's
`flags` field against them.  Deliberately naive, written in another language
than the simulator and sharing no code with it; Python 3 standard library only.

Exit codes, those of `lagsim check`: 0 every flag agrees, 3 flag mismatches (listed), 2 bad
input (one line on stderr: file, line number, what was wrong). An empty file is a valid, empty
history. A crash of this program (Python's own exit 1) is then never taken for a mismatch.

Readings of the spec that this checker makes:
  * A session's operations are taken in order of t0 (ties: t1, then file line);
    an operation that starts before the previous one of its session completed
    is bad input (the spec says a session issues one operation at a time).
  * Warm-up operations shape session state and get their flags checked, but are
    not counted.  Failed operations neither count nor shape state: a failed
    write was not acknowledged, so it is not "written" for ryw or cp.  A failed
    write that carries a version committed it before failing (its leader
    crashed while it waited for its synchronous quorum): reads may return that
    version, so its deps give its past.  Writes listed as lost by a failover are
    ordinary, acknowledged write records and count as written.
  * past(k, v) = every (key, version) reachable from (k, v) over `deps`, taken
    at the highest version per key, without the key k itself.  Version 0,
    absent (null) and versions without a write record have an empty past.
  * Absent (null) is older than every version; null is not older than null.
  * Figures: "reads"/"writes" are counted (non-warm-up, non-failed) operations,
    "failed" the failed operations outside warm-up, "warmup" every warm-up
    operation (failed or not), so the four add up to the number of operations.
    "lost" is the number of entries of all failover records' `lost` lists.
  * Leader share: a counted key-read was answered by a leader when its `node`
    led the key's shard just before the read completed: the first leaders are
    the nodes named leader-<shard>; a failover record at t makes `to` the
    leader, and `from` no longer one, for completions after t (one at exactly
    t still counts the old leader).  "leaderKeyReads" counts them.
  * The t-visibility curve (section 3): per counted key-read whose `leader` is a
    write (above 0), t = t0 - that write's tc, and whether the read returned at
    least it; binned at the last edge (ms) at or below t, by default lagsim's
    edges (a scenario's report.tVisibility gives 0 and its own times).
"""

import argparse
import json
import re
import sys

ANOMALIES = ("ryw", "mr", "cp", "stale")
# A shard's first leader: leader-<shard>, the shard in ASCII digits without leading zeros.
FIRST_LEADER = re.compile(r"leader-(0|[1-9][0-9]*)", re.ASCII)


class BadInput(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


# ---------------------------------------------------------------------------
# Small helpers

def older(a, b):
    """True if version a is older than version b; None (absent) is older than every number."""
    if b is None:
        return False
    if a is None:
        return True
    return a < b


def newer_or_equal_max(a, b):
    """The newer of two versions (None is the oldest)."""
    return b if older(a, b) else a


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def need(rec, field, line, check, what):
    if field not in rec:
        raise BadInput(line, "missing field %r" % field)
    value = rec[field]
    if not check(value):
        raise BadInput(line, "field %r must be %s, got %s" % (field, what, json.dumps(value)))
    return value


def nonneg_int(x):
    return is_int(x) and x >= 0


def version_or_null(x):
    return x is None or nonneg_int(x)


def optional_bool(rec, field, line):
    value = rec.get(field, False)
    if not isinstance(value, bool):
        raise BadInput(line, "field %r must be true or false, got %s" % (field, json.dumps(value)))
    return value


def pair_list(value, line, field, own_key=None):
    """A list of [key, version] pairs (deps, lost)."""
    if not isinstance(value, list):
        raise BadInput(line, "field %r must be a list of [key, version] pairs" % field)
    pairs = []
    for item in value:
        if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                or not is_int(item[1])):
            raise BadInput(line, "field %r: %s is not a [key, version] pair" % (field, json.dumps(item)))
        if field == "deps":
            if item[1] < 1:
                raise BadInput(line, "deps entry %s: absent and version-0 entries are left out "
                                     "(semantics section 2)" % json.dumps(item))
            if item[0] == own_key:
                raise BadInput(line, "deps entry %s names the written key itself "
                                     "(deps are of other keys)" % json.dumps(item))
        pairs.append((item[0], item[1]))
    return pairs


# ---------------------------------------------------------------------------
# Reading the file

def parse(path):
    """Return (operations, failovers); raises BadInput or OSError."""
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    ops = []
    failovers = []
    for index, raw in enumerate(lines):
        line = index + 1
        if raw.strip() == "":
            raise BadInput(line, "empty line")
        try:
            rec = json.loads(raw)
        except ValueError as e:
            raise BadInput(line, "not valid JSON (%s)" % e)
        if not isinstance(rec, dict):
            raise BadInput(line, "not a JSON object")
        kind = rec.get("type")
        if kind == "failover":
            need(rec, "t", line, nonneg_int, "a non-negative integer")
            lost = pair_list(need(rec, "lost", line, lambda x: True, ""), line, "lost")
            old = need(rec, "from", line, lambda x: isinstance(x, str), "a string")
            new = need(rec, "to", line, lambda x: isinstance(x, str), "a string")
            failovers.append({"line": line, "t": rec["t"], "from": old, "to": new, "lost": lost})
            continue
        if kind not in ("read", "write"):
            raise BadInput(line, "unknown record type %s (expected read, write or failover)"
                           % json.dumps(kind))
        op = {"line": line, "type": kind}
        op["session"] = need(rec, "session", line, is_int, "an integer")
        op["t0"] = need(rec, "t0", line, nonneg_int, "a non-negative integer")
        op["t1"] = need(rec, "t1", line, nonneg_int, "a non-negative integer")
        if op["t1"] < op["t0"]:
            raise BadInput(line, "t1 %d is before t0 %d" % (op["t1"], op["t0"]))
        op["warmup"] = optional_bool(rec, "warmup", line)
        op["failed"] = optional_bool(rec, "failed", line)
        if kind == "write":
            op["key"] = need(rec, "key", line, lambda x: isinstance(x, str), "a string")
            # A failed write may carry the commit it made before failing (its leader crashed
            # while it waited for its synchronous quorum): committed and maybe read, never
            # acknowledged.
            if not op["failed"] or "version" in rec:
                op["version"] = need(rec, "version", line, lambda x: is_int(x) and x >= 1,
                                     "a log position (integer >= 1)")
                op["tc"] = need(rec, "tc", line, nonneg_int, "a non-negative integer")
                if not (op["t0"] <= op["tc"] <= op["t1"]):
                    raise BadInput(line, "tc %d is not between t0 %d and t1 %d"
                                   % (op["tc"], op["t0"], op["t1"]))
                op["deps"] = pair_list(need(rec, "deps", line, lambda x: True, ""),
                                       line, "deps", own_key=op["key"])
        else:
            if "flags" in rec:
                flags = rec["flags"]
                if not isinstance(flags, list) or not all(isinstance(x, str) for x in flags):
                    raise BadInput(line, "field 'flags' must be a list of strings, got %s"
                                   % json.dumps(flags))
                op["flags"] = flags
            elif op["failed"]:
                op["flags"] = []
            else:
                raise BadInput(line, "missing field 'flags'")
            if not op["failed"]:
                reads = need(rec, "reads", line, lambda x: isinstance(x, list) and len(x) > 0,
                             "a non-empty list")
                op["reads"] = []
                for entry in reads:
                    if not isinstance(entry, dict):
                        raise BadInput(line, "a 'reads' entry is not an object: %s" % json.dumps(entry))
                    key = need(entry, "key", line, lambda x: isinstance(x, str), "a string")
                    ret = need(entry, "version", line, version_or_null,
                               "a non-negative integer or null")
                    leader = need(entry, "leader", line, version_or_null,
                                  "a non-negative integer or null")
                    node = need(entry, "node", line, lambda x: isinstance(x, str), "a string")
                    op["reads"].append((key, ret, leader))
                    op.setdefault("nodes", []).append(node)
        ops.append(op)
    return ops, failovers


# ---------------------------------------------------------------------------
# Causal pasts

class Pasts:
    """past(k, v) over the write records' deps (semantics section 2)."""

    def __init__(self, ops):
        self.deps = {}  # (key, version) -> list of (key, version)
        for op in ops:
            if op["type"] == "write" and "version" in op:
                node = (op["key"], op["version"])
                if node in self.deps:
                    raise BadInput(op["line"], "a second write record of %s version %d "
                                   "(log positions are never reused)" % node)
                self.deps[node] = op["deps"]
        # reach[(k, v)]: key -> highest version among the nodes reachable from (k, v)
        # over one or more deps edges.  Only complete results are stored.
        self.reach = {}
        # Compute in commit order: deps point to earlier commits, so every search
        # stops at already computed nodes (the results do not depend on the order).
        writes = sorted((op for op in ops if op["type"] == "write" and "version" in op),
                        key=lambda op: (op["tc"], op["line"]))
        for op in writes:
            self._reach((op["key"], op["version"]))

    def _reach(self, start):
        if start in self.reach:
            return self.reach[start]
        result = {}
        visited = set()
        stack = list(self.deps.get(start, ()))
        while stack:
            node = stack.pop()
            if node in visited:
                continue
            visited.add(node)
            key, version = node
            result[key] = newer_or_equal_max(result.get(key), version)
            if node in self.reach:
                # Everything reachable from node is already summarised there.
                for k2, v2 in self.reach[node].items():
                    result[k2] = newer_or_equal_max(result.get(k2), v2)
            else:
                stack.extend(self.deps.get(node, ()))
        self.reach[start] = result
        return result

    def past(self, key, version):
        if version is None or version == 0:
            return {}
        return {k: v for k, v in self._reach((key, version)).items() if k != key}


# ---------------------------------------------------------------------------
# The check

def new_counts():
    return {a: {"violations": 0, "keyReads": 0, "eligible": 0, "violatingReads": 0}
            for a in ANOMALIES}


DEFAULT_T_VISIBILITY_EDGES_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000]


def t_visibility(ops, edges_ms):
    """The t-visibility curve's counts per bucket (non-empty buckets only)."""
    commit_us = {}
    for op in ops:
        if op["type"] == "write" and "version" in op:
            commit_us[(op["key"], op["version"])] = op["tc"]
    reads = [0] * len(edges_ms)
    visible = [0] * len(edges_ms)
    for op in ops:
        if op["type"] != "read" or op["failed"] or op["warmup"]:
            continue
        for key, ret, leader in op["reads"]:
            if leader is None or leader <= 0:
                continue
            if (key, leader) not in commit_us:
                raise BadInput(op["line"], "leader version %d of %s has no write record" % (leader, key))
            t_ms = (op["t0"] - commit_us[(key, leader)]) / 1000
            bucket = len(edges_ms) - 1
            while bucket > 0 and edges_ms[bucket] > t_ms:
                bucket -= 1
            reads[bucket] += 1
            if not older(ret, leader):
                visible[bucket] += 1
    return [{"fromMs": edges_ms[i], "toMs": edges_ms[i + 1] if i + 1 < len(edges_ms) else None,
             "keyReads": reads[i], "visible": visible[i]}
            for i in range(len(edges_ms)) if reads[i] > 0]


def leader_key_reads(ops, failovers):
    """Counted key-reads whose node led its shard just before the read completed."""
    became = {}   # node -> t of the failover that made it a leader
    stopped = {}  # node -> t of the failover that took its shard from it
    for f in failovers:
        stopped[f["from"]] = f["t"]
        became[f["to"]] = f["t"]

    def led(node, t1):
        if node in became:
            start = became[node]
        else:
            if not FIRST_LEADER.fullmatch(node):
                return False
            start = None  # led from the start
        if start is not None and not start < t1:
            return False
        return node not in stopped or t1 <= stopped[node]

    n = 0
    for op in ops:
        if op["type"] == "read" and not op["failed"] and not op["warmup"]:
            n += sum(1 for node in op["nodes"] if led(node, op["t1"]))
    return n


def check(ops, failovers):
    pasts = Pasts(ops)
    counts = new_counts()
    totals = {"reads": 0, "writes": 0, "failed": 0, "warmup": 0}
    mismatches = []

    sessions = {}
    for op in ops:
        sessions.setdefault(op["session"], []).append(op)

    for session in sorted(sessions):
        order = sorted(sessions[session], key=lambda op: (op["t0"], op["t1"], op["line"]))
        for before, after in zip(order, order[1:]):
            if after["t0"] < before["t1"]:
                raise BadInput(after["line"], "session %d starts an operation at t0 %d before its "
                               "previous one (line %d) completed at t1 %d"
                               % (session, after["t0"], before["line"], before["t1"]))

        wrote = {}      # key -> highest version this session wrote (acknowledged writes)
        observed = {}   # key -> highest version seen in earlier non-failed reads (None = absent)
        # Seen without the current read: every (key, version) read or written earlier,
        # summarised as seen_req[k] = max over (j, v) in it of past(j, v)[k].  As past(j, v)
        # never names j itself, this max is the same as the one over j != k only.
        seen_req = {}

        def add_seen(j, v):
            for k, w in pasts.past(j, v).items():
                assert k != j
                seen_req[k] = newer_or_equal_max(seen_req[k], w) if k in seen_req else w

        for op in order:
            if op["warmup"]:
                totals["warmup"] += 1
            elif op["failed"]:
                totals["failed"] += 1
            else:
                totals[op["type"] + "s"] += 1

            if op["type"] == "write":
                if not op["failed"]:
                    wrote[op["key"]] = newer_or_equal_max(wrote.get(op["key"]), op["version"])
                    add_seen(op["key"], op["version"])
                continue

            # A read.
            if op["failed"]:
                expected = []
            else:
                counted = not op["warmup"]
                this_read = [(key, ret) for key, ret, _ in op["reads"]]
                violated = set()
                for key, ret, leader in op["reads"]:
                    verdict = {}
                    # ryw
                    if key in wrote:
                        verdict["ryw"] = (True, older(ret, wrote[key]))
                    else:
                        verdict["ryw"] = (False, False)
                    # mr
                    if key in observed:
                        verdict["mr"] = (True, older(ret, observed[key]))
                    else:
                        verdict["mr"] = (False, False)
                    # cp: Req(k) over Seen = earlier reads and writes plus this read itself
                    # (its earlier part summarised in seen_req, above).
                    defined = key in seen_req
                    req = seen_req.get(key)
                    for j, v in this_read:
                        if j == key:
                            continue
                        p = pasts.past(j, v)
                        if key in p:
                            req = p[key] if not defined else newer_or_equal_max(req, p[key])
                            defined = True
                    verdict["cp"] = (defined, defined and older(ret, req))
                    # stale
                    verdict["stale"] = (True, older(ret, leader))

                    for a in ANOMALIES:
                        eligible, violation = verdict[a]
                        if violation:
                            violated.add(a)
                        if counted:
                            counts[a]["keyReads"] += 1
                            if eligible:
                                counts[a]["eligible"] += 1
                            if violation:
                                counts[a]["violations"] += 1
                expected = [a for a in ANOMALIES if a in violated]
                if counted:
                    for a in violated:
                        counts[a]["violatingReads"] += 1
                # Only now does this read become an "earlier read".
                for key, ret in this_read:
                    observed[key] = newer_or_equal_max(observed[key], ret) if key in observed else ret
                    add_seen(key, ret)

            if op["flags"] != expected:
                mismatches.append({"session": session, "t0": op["t0"], "line": op["line"],
                                   "expected": expected, "file": op["flags"]})

    for a in ANOMALIES:
        c = counts[a]
        c["rate"] = c["violations"] / c["keyReads"] if c["keyReads"] else None
        c["rateEligible"] = c["violations"] / c["eligible"] if c["eligible"] else None

    result = {a: counts[a] for a in ANOMALIES}
    result.update(totals)
    result["lost"] = sum(len(f["lost"]) for f in failovers)
    result["leaderKeyReads"] = leader_key_reads(ops, failovers)
    key_reads = counts["stale"]["keyReads"]
    result["leaderShare"] = result["leaderKeyReads"] / key_reads if key_reads else None
    result["flagMismatches"] = len(mismatches)
    result["mismatches"] = sorted(mismatches, key=lambda m: (m["session"], m["t0"], m["line"]))
    return result


# ---------------------------------------------------------------------------
# Output

def fmt_rate(x):
    return "-" if x is None else "%.6f" % x


def print_table(path, r, out):
    out.write("history: %s\n" % path)
    out.write("%-6s %11s %10s %10s %10s %13s %16s\n"
              % ("", "violations", "key-reads", "eligible", "rate", "rateEligible", "violating reads"))
    for a in ANOMALIES:
        c = r[a]
        out.write("%-6s %11d %10d %10d %10s %13s %16d\n"
                  % (a, c["violations"], c["keyReads"], c["eligible"], fmt_rate(c["rate"]),
                     fmt_rate(c["rateEligible"]), c["violatingReads"]))
    out.write("reads %d, writes %d, failed %d, warm-up %d, lost %d\n"
              % (r["reads"], r["writes"], r["failed"], r["warmup"], r["lost"]))
    out.write("leader share %s (%d key-reads answered by their shard's leader)\n"
              % (fmt_rate(r["leaderShare"]), r["leaderKeyReads"]))
    if not r["mismatches"]:
        out.write("flags: all agree\n")
        return
    out.write("flag mismatches: %d\n" % r["flagMismatches"])
    limit = 100
    for m in r["mismatches"][:limit]:
        out.write("  session %d t0 %d (line %d): expected %s, file has %s\n"
                  % (m["session"], m["t0"], m["line"], json.dumps(m["expected"]), json.dumps(m["file"])))
    if len(r["mismatches"]) > limit:
        out.write("  ... and %d more (--json lists all)\n" % (len(r["mismatches"]) - limit))


def main(argv):
    parser = argparse.ArgumentParser(
        description="Independent checker of lagsim history files (docs/semantics.md, sections 3 and 4).")
    parser.add_argument("history", help="history file (JSON Lines) written by lagsim --history")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--t-visibility-edges", metavar="MS,MS,...",
                        help="bucket edges (ms, from 0, increasing) of the t-visibility curve in --json "
                             "(default lagsim's: %s)" % ",".join(str(e) for e in DEFAULT_T_VISIBILITY_EDGES_MS))
    args = parser.parse_args(argv)
    edges = DEFAULT_T_VISIBILITY_EDGES_MS
    if args.t_visibility_edges is not None:
        try:
            edges = [float(x) for x in args.t_visibility_edges.split(",")]
        except ValueError:
            edges = []
        if not edges or edges[0] != 0 or any(b <= a for a, b in zip(edges, edges[1:])):
            sys.stderr.write("--t-visibility-edges: expected increasing milliseconds from 0, e.g. 0,50,100,1000\n")
            return 2
        edges = [int(e) if e == int(e) else e for e in edges]

    try:
        ops, failovers = parse(args.history)
        result = check(ops, failovers)
        result["tVisibility"] = t_visibility(ops, edges)
    except BadInput as e:
        sys.stderr.write("%s:%d: %s\n" % (args.history, e.line, e.message))
        return 2
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("%s:0: cannot read file (%s)\n" % (args.history, e))
        return 2

    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        print_table(args.history, result, sys.stdout)
    return 3 if result["flagMismatches"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
