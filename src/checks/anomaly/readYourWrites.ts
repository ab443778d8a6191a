import { ms, versionText, type AnomalyDefinition } from './definition.js';

/** semantics.md section 3, "Read-your-writes (ryw)". */
export const readYourWrites = {
  name: 'ryw',
  title: 'read-your-writes',
  guarantee: true,
  definition: 'a read returns a version of k older than the newest the session wrote; eligible: key-reads of a key the session wrote before',
  fact: 'written',
  story: (read, wrote) => `${read.text}, but this session wrote ${versionText(wrote.version)} of it (acknowledged at t=${ms(wrote.atUs)} ms)`,
} as const satisfies AnomalyDefinition<'written'>;
