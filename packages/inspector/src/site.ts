// SPDX-License-Identifier: Apache-2.0
// The static folder: index.html, one JS bundle and one stylesheet, built by esbuild from the page's
// sources and the same packages users import (the "source" condition: no stale build), for the
// browser platform, where a Node built-in fails the build. Each file is written aside, then
// renamed into place, so a server reading the folder meanwhile never misses a file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const packageRoot = join(import.meta.dirname, '..');

/** Where `npm run build` writes the folder and where the handler looks for it by default. */
export const DEFAULT_SITE_DIR = join(packageRoot, 'dist', 'site');

/** The files of the folder, as served. */
export const SITE_FILES = ['index.html', 'app.js', 'style.css'] as const;

/** Bundle the page into `outDir`; returns `outDir`. */
export async function buildInspector(outDir: string = DEFAULT_SITE_DIR): Promise<string> {
  const result = await build({
    entryPoints: [join(packageRoot, 'src', 'page', 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['source'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no bundle');
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'app.js': code,
    'style.css': readFileSync(join(packageRoot, 'static', 'style.css')),
    // Last: a folder with index.html is a whole one (the handler builds when it is missing).
    'index.html': readFileSync(join(packageRoot, 'static', 'index.html')),
  };
  // Each file replaced by a rename: a server reading the folder meanwhile never misses a file.
  for (const [name, bytes] of Object.entries(files)) {
    const staging = join(outDir, `.${name}.${process.pid}.${Date.now()}`);
    writeFileSync(staging, bytes);
    renameSync(staging, join(outDir, name));
  }
  return outDir;
}
