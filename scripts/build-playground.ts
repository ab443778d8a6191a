/** `npm run playground`: builds docs/playground/index.html (same as `lagsim playground --out docs/playground`). */
import { main } from '../src/cli/main.js';

process.exitCode = await main(['node', 'lagsim', 'playground', ...process.argv.slice(2)]);
