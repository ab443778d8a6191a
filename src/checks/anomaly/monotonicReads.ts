import { ms, versionText, type AnomalyDefinition } from './definition.js';

/** semantics.md section 3, "Monotonic reads (mr)". */
export const monotonicReads = {
  name: 'mr',
  title: 'monotonic reads',
  guarantee: true,
  definition: 'a read returns a version of k older than one the session saw in an earlier read; eligible: key-reads of a key the session read before',
  fact: 'seen',
  story: (read, saw) => `${read.text}, but this session had already seen ${versionText(saw.version)} (read at t=${ms(saw.atUs)} ms from ${saw.node})`,
} as const satisfies AnomalyDefinition<'seen'>;
