// SPDX-License-Identifier: Apache-2.0
// The static folder: index.html, one JS bundle and one stylesheet, built by esbuild from the page's
// sources and the same packages users import (the "source" condition: no stale build), for the
// browser platform, where a Node built-in fails the build. Written next to the folder, then
// renamed into place, so a reader never sees half a folder.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const packageRoot = join(import.meta.dirname, '..');

/** Where `npm run build` writes the folder and where the handler looks for it by default. */
export const DEFAULT_SITE_DIR = join(packageRoot, 'dist', 'site');

/** The files of the folder, as served. */
export const SITE_FILES = ['index.html', 'app.js', 'style.css'] as const;

/** Bundle the page into `outDir` (replaced whole); returns `outDir`. */
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
  const staging = `${outDir}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'app.js'), code);
  for (const file of ['index.html', 'style.css'])
    copyFileSync(join(packageRoot, 'static', file), join(staging, file));
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(staging, outDir);
  } catch (cause) {
    // Another builder renamed its folder first: the same sources, so keep that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(outDir, 'index.html'))) throw cause;
  }
  return outDir;
}
