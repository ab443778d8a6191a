/**
 * Library warnings (pg's SSL-mode notice, a deprecation) reach the user through one channel: one
 * line each, masked like every message, instead of Node's multi-line print with its hint.
 */
import { maskSecrets } from '../text/messages.js';

/** `warning` as lagsim prints it: its first line, masked, cut to a line's length. */
export function warningLine(warning: Error): string {
  const first = (warning.message.split('\n').find((line) => line.trim() !== '') ?? warning.name).trim();
  const masked = maskSecrets(first);
  const text = masked.length > 200 ? `${masked.slice(0, 200)}…` : masked;
  return `lagsim: warning: ${text}`;
}

/** Replaces Node's own warning printer (it is a `warning` listener) with one line per warning. */
export function routeWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => process.stderr.write(`${warningLine(warning)}\n`));
}
