// SPDX-License-Identifier: Apache-2.0
// A user's project outside the repository: every package packed with `npm pack`, the tarballs
// installed (third-party dependencies from the npm cache, else the registry), the README examples
// compiled there under strict tsc and run with node.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './markdown.js';

/** The version the repository installed (hoisted to the root node_modules by npm workspaces). */
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

/** What a user installs beside the toolkit to run the examples: the repository's exact versions. */
export const EXTRA_PACKAGES = [
  'typescript',
  '@types/node',
  'hono',
  // the Redis store's optional peer
  'ioredis',
  // the MCP walkthrough's client side (the SDK's client, its Node adapter, and zod for tool schemas)
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/node',
  'zod',
];

/** The strictest settings a user might have (the repository's own), plus a full lib check. */
export const SCRATCH_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    moduleDetection: 'force',
    skipLibCheck: false,
    types: ['node'],
    rootDir: 'examples',
    outDir: 'out',
  },
  include: ['examples'],
};

export const packageDirs = (): string[] =>
  readdirSync(join(root, 'packages'))
    .sort()
    .map((p) => join(root, 'packages', p))
    .filter((d) => existsSync(join(d, 'package.json')));

/**
 * An enclosing `npm test` exports the repository's package, lifecycle, workspace and prefix settings:
 * they must not steer the child npm. Registry, cache and proxy settings pass through.
 */
const INHERITED =
  /^npm_(package_|lifecycle_|config_(workspaces?|include_workspace_root|local_prefix|prefix)$)/i;
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED.test(k)));
}

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly string[];
}

/** `npm pack` every package (one npm call) into `dest`. */
export function packAll(dest: string): Packed[] {
  for (const dir of packageDirs()) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`${dir} is not built: run npm run build`);
  }
  // As the root README says: every workspace under packages/, one npm call.
  const args = ['pack', '-w', 'packages', '--pack-destination', dest, '--json'];
  const out = JSON.parse(npm([...args, '--loglevel=error'], root)) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  return out.map((p) => ({ name: p.name, filename: p.filename, files: p.files.map((f) => f.path) }));
}

/** A fresh project in os.tmpdir() with every tarball installed: its directory. */
export function createScratchProject(packed: readonly Packed[], tarballDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ap-scratch-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(SCRATCH_TSCONFIG, null, 2)}\n`);
  mkdirSync(join(dir, 'examples'));
  try {
    const extras = EXTRA_PACKAGES.map((name) => `${name}@${versionOf(name)}`);
    const tarballs = packed.map((p) => join(tarballDir, p.filename));
    const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
    npm(['install', ...tarballs, ...extras, ...flags], dir);
    return dir;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
