/**
 * The browser builds of vega, vega-lite and vega-embed that index.html loads, copied from node_modules into
 * one shared reports/lib/ (about 0.8 MB, once for all reports) with their licences. The source-map comment
 * is dropped, since the maps are not copied; otherwise the files are as published.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIB_SCRIPTS } from './pages.ts';

/** The folder of an installed package, found from its entry point (these packages don't export package.json). */
function packageDir(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = up;
  }
  return dir;
}

/** File name in lib/ → contents. */
export function libFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const script of LIB_SCRIPTS) {
    const name = script.replace(/\.min\.js$/, '');
    const dir = packageDir(name);
    const code = readFileSync(join(dir, 'build', script), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
    files.set(script, Buffer.from(code));
    files.set(`${name}.LICENSE.txt`, readFileSync(join(dir, 'LICENSE')));
  }
  return files;
}
