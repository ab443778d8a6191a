/** A path inside a scenario, as segments (`['cluster', 'replicas', 0, 'lag']`). */
export type PathSegment = string | number;

/** `cluster.replicas.0.lag`: segments joined by dots, indices as numbers. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/**
 * A mistake in the user's input (scenario file, --set, --vary). The CLI prints `format()` (one
 * line) and exits with code 2.
 *
 * - `file`: the scenario file as the user named it, or `--set` / `--vary`; may be empty.
 * - `path`: the field path such as `cluster.replicas.0.lag`; undefined when the error is about the
 *   whole file (not found, YAML syntax).
 * - `message`: what was expected (from `messages`), without file or path.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly file: string;
  readonly path: string | undefined;

  constructor(file: string, path: string | readonly PropertyKey[] | undefined, message: string) {
    super(message);
    this.file = file;
    const p = typeof path === 'string' || path === undefined ? path : formatPath(path);
    this.path = p === '' ? undefined : p;
  }

  /** One line: `<file>: <path>: <message>`, leaving out the parts that are empty. */
  format(): string {
    return [this.file, this.path, this.message].filter((part) => part !== undefined && part !== '').join(': ');
  }

  override toString(): string {
    return this.format();
  }
}
