// SPDX-License-Identifier: Apache-2.0
// What every verb shares: global options, output, durations.
import { resolve } from 'node:path';
import { PassportError } from '@agent-passport/core';
import type { Command } from 'commander';
import { type Home, openHome, resolveHome } from './home.js';
import { toJson, writeFileAtomic } from './internal/files.js';
import { createOut, type Out } from './output.js';

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** "90d", "12h", "30m" → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d{1,5})([dhm])$/.exec(value);
  if (m === null)
    throw new PassportError('ERR_DATE_INVALID', `a duration is like 90d, 12h or 30m, not ${value}`);
  const n = Number(m[1]);
  return n * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
}

interface Globals {
  home?: string;
  json?: boolean;
}

export function globals(cmd: Command): { home: Home; out: Out } {
  const g = cmd.optsWithGlobals<Globals>();
  return { home: openHome(resolveHome(g.home)), out: createOut(g.json === true) };
}

export function emit(out: Out, path: string | undefined, value: unknown): void {
  if (path !== undefined) {
    writeFileAtomic(resolve(path), toJson(value));
    out.line(`written to ${path}`);
  } else if (!out.json) {
    process.stdout.write(toJson(value));
  }
}
