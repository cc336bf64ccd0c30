import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleDirectory } from '../../src/console/console-assets';

/** The built console (dist/console) and its entry script's path; fails clearly when `npm run build` has not run. */
export function requireBuiltConsole(): { dir: string; scriptPath: string } {
  const dir = consoleDirectory();
  if (!dir) throw new Error('dist/console is missing: run `npm run build` before the console suites (npm test does)');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const script = /<script type="module"[^>]*src="([^"]+)"/.exec(html);
  if (!script) throw new Error('dist/console/index.html names no module script');
  return { dir, scriptPath: script[1] };
}
