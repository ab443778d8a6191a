import { join } from 'node:path';
import { ExitCode } from '../../text/exitCodes.js';
import { checkOutputFolder } from '../../run/outputPaths.js';
import { OutputSet } from '../../report/outputSet.js';
import { PROJECT_ROOT, LAGSIM_VERSION } from '../../text/version.js';

const PAGE = 'index.html';

/** `lagsim playground`: one self-contained HTML page running lagsim's simulator in a Web Worker. */
export async function playgroundCommand(options: { out: string }): Promise<ExitCode> {
  const folder = checkOutputFolder('--out', options.out, [PAGE]);
  // esbuild is needed only here: loaded on demand.
  const { buildPlayground } = await import('../../playground/build.js');
  const built = await buildPlayground(PROJECT_ROOT, LAGSIM_VERSION);
  const outputs = new OutputSet();
  try {
    outputs.write(join(folder, PAGE), built.html);
    outputs.commit();
  } catch (error) {
    outputs.abort();
    throw error;
  }
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
  process.stdout.write(
    `wrote ${join(options.out, PAGE)} (${kb(Buffer.byteLength(built.html))}: page script ${kb(built.pageBytes)}, worker ${kb(built.workerBytes)}); open it from disk or any static host\n`,
  );
  return ExitCode.ok;
}
