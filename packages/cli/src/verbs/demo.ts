// SPDX-License-Identifier: Apache-2.0
// `demo` (what `npm start` runs), and `demo --calls --out <dir>` (signed requests with evidence).
import { resolve } from 'node:path';
import type { VerbContext } from '../context.js';

export async function run({ out }: VerbContext, opts: { calls?: boolean; out: string }): Promise<void> {
  if (opts.calls === true) {
    const { runCallsDemo } = await import('../demo-calls.js');
    await runCallsDemo(out, resolve(opts.out));
  } else {
    const { runDemo } = await import('../demo.js');
    await runDemo(out);
  }
}
