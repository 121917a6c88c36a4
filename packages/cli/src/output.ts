// SPDX-License-Identifier: Apache-2.0
// Human output (✓/✗ per check) and machine output (--json): the shell stays thin (STYLE.md §12).
import type { Check } from '@agent-passport/core';

export interface Out {
  readonly json: boolean;
  line(text?: string): void;
  data(value: unknown): void;
}

let documents = 0;
/** How many --json documents this process has written (main writes an error one only if none). */
export const documentsWritten = () => documents;

export function createOut(json: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Out {
  return {
    json,
    line(text = '') {
      if (!json) write(`${text}\n`);
    },
    data(value) {
      if (!json) return;
      documents += 1;
      write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

const useColour = () => process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: number, s: string) => (useColour() ? `\u001b[${code}m${s}\u001b[0m` : s);
export const green = (s: string) => paint(32, s);
export const red = (s: string) => paint(31, s);
export const dim = (s: string) => paint(2, s);

/** One line per check: ✓ passed, ✗ failed (with code and reason), – not run. */
export function formatChecks(checks: readonly Check[]): string[] {
  return checks.map((c) => {
    if (c.skipped) return `  ${dim('–')} ${c.name} ${dim('(not run)')}`;
    if (c.ok) return `  ${green('✓')} ${c.name}`;
    return `  ${red('✗')} ${c.name}  ${c.code ?? ''}  ${c.message ?? ''}`.trimEnd();
  });
}
