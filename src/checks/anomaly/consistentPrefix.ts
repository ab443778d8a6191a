import { versionText, type AnomalyDefinition } from './definition.js';

/** semantics.md section 3, "Consistent prefix (cp)". */
export const consistentPrefix = {
  name: 'cp',
  title: 'consistent prefix',
  guarantee: true,
  definition:
    'a read returns a version of k older than the causal past of something the session saw (earlier, or in the same read) requires; eligible: key-reads of a key such a past names',
  fact: 'required',
  story: (read, required) =>
    `${read.text}, but this session has seen ${required.because} at ${versionText(required.becauseVersion)}, whose causal past requires ${read.key} at ${versionText(required.version)}`,
} as const satisfies AnomalyDefinition<'required'>;
