/**
 * The one YAML reading of scenario text and --set values: YAML 1.2's core schema only. Tags outside
 * it (!!binary, !!timestamp, !!set, a local !foo) are refused with their place, not resolved to
 * dates and byte arrays, and nothing is printed as a Node warning behind the one-line message.
 */
import YAML from 'yaml';

export type YamlResult = { ok: true; value: unknown } | { ok: false; reason: string; line?: number; column?: number };

const OPTIONS = { merge: true, prettyErrors: true, resolveKnownTags: false, logLevel: 'error', uniqueKeys: true } as const;

export function readYaml(text: string): YamlResult {
  const doc = YAML.parseDocument(text, OPTIONS);
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    let reason = problem.message.split('\n')[0] ?? problem.message;
    reason = reason.replace(/ at line \d+, column \d+:?\s*$/, '');
    if (problem.code === 'MULTIPLE_DOCS') reason = 'expected one YAML document, found several (---)';
    if (problem.code === 'TAG_RESOLVE_FAILED') reason = reason.replace(/^Unresolved tag: (.*)$/, 'unsupported YAML tag $1 (scenarios are plain YAML)').replace('tag:yaml.org,2002:', '!!');
    const pos = problem.linePos?.[0];
    return pos ? { ok: false, reason, line: pos.line, column: pos.col } : { ok: false, reason };
  }
  try {
    return { ok: true, value: doc.toJS() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
