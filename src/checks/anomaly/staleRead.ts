import { versionText, type AnomalyDefinition } from './definition.js';

/** semantics.md section 3, "Stale read (stale)". */
export const staleRead = {
  name: 'stale',
  title: 'stale read',
  guarantee: false,
  definition: 'a read returns a version of k older than the newest committed before the read started; eligible: every key-read',
  fact: 'leader',
  story: (read, leader) => `${read.text}, but ${versionText(leader.version)} had been committed before the read started`,
} as const satisfies AnomalyDefinition<'leader'>;
