// SPDX-License-Identifier: Apache-2.0
// What every verb is given: where its home is and how to write its output. Light on purpose: the
// program (and `--help`) loads this, never the libraries a verb needs.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createOut, type Out } from './output.js';

export interface VerbContext {
  readonly out: Out;
  /** The home folder: --home, else $AGENT_PASSPORT_HOME, else ~/.agent-passport. */
  readonly homeDir: string;
}

export function resolveHome(flag: string | undefined): string {
  return resolve(flag ?? process.env['AGENT_PASSPORT_HOME'] ?? join(homedir(), '.agent-passport'));
}

export function contextOf(cmd: Command): VerbContext {
  const g = cmd.optsWithGlobals<{ home?: string; json?: boolean }>();
  return { out: createOut(g.json === true), homeDir: resolveHome(g.home) };
}

/** A verb's implementation: loaded only when the verb runs. */
export interface VerbModule {
  run(context: VerbContext, ...args: never[]): unknown;
}

/** A commander action that loads the verb's module on demand and runs it. */
export function lazy(load: () => Promise<VerbModule>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const { run } = await load();
    await (run as (context: VerbContext, ...rest: unknown[]) => unknown)(
      contextOf(cmd),
      ...args.slice(0, -1),
    );
  };
}
