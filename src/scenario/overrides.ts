/**
 * Command-line overrides: `--set PATH=VALUE` and the value lists of `--vary PATH=V1,V2,...`.
 */
import { readYaml } from './yamlText.js';
import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';

export interface Assignment {
  /** The dotted path as written, e.g. `cluster.replicas.0.lag`. */
  path: string;
  /** Its segments; numeric segments stay strings (an index only on a list). */
  segments: string[];
  /** The value text after `=`, before YAML parsing. */
  text: string;
}

/** Splits `PATH=VALUE` at the first `=`; `file` names the option in errors (`--set`, `--vary`). */
export function parseAssignment(assignment: string, file = '--set'): Assignment {
  const eq = assignment.indexOf('=');
  const path = eq < 0 ? '' : assignment.slice(0, eq).trim();
  if (eq < 0 || path === '') throw new InputError(file, undefined, messages.setSyntax(assignment));
  const segments = path.split('.');
  if (segments.some((s) => s === '')) throw new InputError(file, path, messages.setEmptySegment);
  return { path, segments, text: assignment.slice(eq + 1) };
}

/** A value written on the command line, read as YAML (`500ms` is the string "500ms"). */
export function parseValue(text: string, file: string, path: string): unknown {
  const read = readYaml(text);
  if (read.ok) return read.value;
  throw new InputError(file, path, messages.setBadValue(read.reason));
}

const INDEX_RE = /^\d+$/;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** Names --set never follows or creates: they reach object internals (the prototype), not scenario fields. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Sets an own, enumerable, writable property (never a setter such as `__proto__`). */
function putOwn(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Sets `value` at `segments` inside a copy of `raw` and returns the copy (`raw` is not changed).
 * Missing objects on the way are created (a list when the next segment is an index); an index may
 * be at most the list's length (equal appends); a path into a scalar is an error naming the path.
 * Only own properties are followed: `__proto__`, `constructor` and `prototype` are refused as unknown
 * fields, and an inherited name (`toString`) counts as missing, so nothing outside the copy changes.
 */
export function setAtPath(raw: unknown, segments: readonly string[], value: unknown, file = '--set'): unknown {
  return setAtPathTracked(raw, segments, value, file).root;
}

/** setAtPath, also returning `created`: the shortest prefix of the path that did not exist before (else the whole path). */
export function setAtPathTracked(
  raw: unknown,
  segments: readonly string[],
  value: unknown,
  file = '--set',
): { root: unknown; created: string } {
  const fullPath = segments.join('.');
  const unsafe = segments.find((seg) => UNSAFE_KEYS.has(seg));
  if (unsafe !== undefined) throw new InputError(file, fullPath, messages.setUnsafeKey(unsafe));
  const root: unknown = isContainer(raw) ? structuredClone(raw) : {};
  let node = root as Record<string, unknown> | unknown[];
  let created: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const prefix = segments.slice(0, i).join('.') || '(the scenario)';
    const last = i === segments.length - 1;
    let key: string | number = seg;
    if (Array.isArray(node)) {
      if (!INDEX_RE.test(seg)) throw new InputError(file, fullPath, messages.setNotIndex(prefix, seg));
      const index = Number(seg);
      if (index > node.length) throw new InputError(file, fullPath, messages.setPastEnd(prefix, index, node.length));
      key = index;
    }
    const container = node as Record<string | number, unknown>;
    const own = Object.hasOwn(container, key);
    if (last) {
      putOwn(container, key, value);
      break;
    }
    let next = own ? container[key] : undefined;
    if (next === undefined || next === null) {
      next = INDEX_RE.test(segments[i + 1] as string) ? [] : {};
      putOwn(container, key, next);
      created ??= segments.slice(0, i + 1).join('.');
    } else if (!isContainer(next)) {
      throw new InputError(file, fullPath, messages.setIntoScalar(segments.slice(0, i + 1).join('.'), next));
    }
    node = next as Record<string, unknown> | unknown[];
  }
  return { root, created: created ?? fullPath };
}

/**
 * Applies one `--set PATH=VALUE` to a parsed (not yet validated) scenario document and returns
 * the changed copy. VALUE is YAML: `500ms`, `3`, `{name: token, track: session}`, `[a, b]`.
 */
export function applySet(raw: unknown, assignment: string): unknown {
  const a = parseAssignment(assignment, '--set');
  return setAtPath(raw, a.segments, parseValue(a.text, '--set', a.path), '--set');
}

/** Where one `--set PATH=VALUE` went, to attribute validation errors to it rather than to the file. */
export interface SetOrigin {
  /** The assignment as written, e.g. `clients.1.think=1s`; '' when only the path is known. */
  assignment: string;
  /** Its path, e.g. `clients.1.think`. */
  path: string;
  /** The shortest prefix of `path` it created (`clients.1` when there was no second group), else `path`. */
  created: string;
  /** The document before it was applied (the file's own document for the first assignment). */
  before?: unknown;
}

/** applySet, also returning where the value went (`before` is `raw`). */
export function applySetTracked(raw: unknown, assignment: string): { doc: unknown; origin: SetOrigin } {
  const a = parseAssignment(assignment, '--set');
  const { root, created } = setAtPathTracked(raw, a.segments, parseValue(a.text, '--set', a.path), '--set');
  return { doc: root, origin: { assignment, path: a.path, created, before: raw } };
}

/** Whether dotted `path` is `prefix` or lies under it (segment-wise: `a.bc` is not under `a.b`). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/**
 * The --set assignment an error at `path` comes from, by path alone: the last one whose created
 * subtree holds `path`, else the last one whose path lies under `path` (an error about a mapping the
 * assignment changed). `exact` is whether `path` lies under the assignment's own path (then the
 * path alone names it). Undefined for the whole scenario ('') and for paths no assignment touched.
 */
export function setOriginOf(path: string, origins: readonly SetOrigin[]): { origin: SetOrigin; exact: boolean } | undefined {
  if (path === '') return undefined;
  const last = (keep: (o: SetOrigin) => boolean) => [...origins].reverse().find(keep);
  const holder = last((o) => isUnder(path, o.created));
  if (holder) return { origin: holder, exact: isUnder(path, holder.path) };
  const changed = last((o) => isUnder(o.path, path));
  return changed ? { origin: changed, exact: false } : undefined;
}

/** The error at `path` from the assignment `origin`: `--set: <path>: <message>`, naming the assignment unless the path does. */
export function setError(path: string, message: string, origin: SetOrigin, exact: boolean): InputError {
  return new InputError('--set', path, exact || origin.assignment === '' ? message : messages.setCausedBy(message, origin.assignment));
}

/** The path part of a `--set` assignment (for attributing validation errors to `--set`). */
export function assignmentPath(assignment: string): string {
  const eq = assignment.indexOf('=');
  return eq < 0 ? '' : assignment.slice(0, eq).trim();
}

/**
 * Splits the values of `--vary PATH=V1,V2,...` on commas outside brackets, braces and quotes:
 * `a,{x: 1, y: 2},[1,2]` gives `a`, `{x: 1, y: 2}`, `[1,2]`. Items are trimmed; empty text gives [].
 */
export function splitVaryValues(text: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  const stack: string[] = [];
  let quote: '"' | "'" | null = null;
  let start = 0;
  let prev = ','; // last non-space character: a quote opens a YAML string only where a value starts
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === ' ' || ch === '\t') continue;
    const before = prev;
    prev = ch;
    if ((ch === '"' || ch === "'") && ',[{:'.includes(before)) quote = ch;
    else if (ch === '[' || ch === '{' || ch === '(') stack.push(ch === '[' ? ']' : ch === '{' ? '}' : ')');
    else if (ch === ']' || ch === '}' || ch === ')') {
      if (stack.pop() !== ch) throw new InputError('--vary', undefined, messages.varyUnbalanced(text));
    } else if (ch === ',' && stack.length === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quote || stack.length > 0) throw new InputError('--vary', undefined, messages.varyUnbalanced(text));
  out.push(text.slice(start).trim());
  return out;
}
