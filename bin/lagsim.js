#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';
import { routeWarnings } from '../dist/src/cli/warnings.js';

routeWarnings();

// A reader that stops early (`lagsim schema | head -1`) closes the pipe: the rest of the output has
// nowhere to go, which is not an error of lagsim's. Stop writing quietly (no EPIPE stack trace); the
// exit code stays the command's own.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
