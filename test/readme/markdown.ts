// SPDX-License-Identifier: Apache-2.0
// The fenced code blocks of every README (root and packages/*), as quoted: what the README tests run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export interface CodeBlock {
  /** The README, relative to the repository root. */
  readonly file: string;
  /** The fence's language tag ('' when it has none). */
  readonly lang: string;
  /** The nearest heading above the block ('' before the first). */
  readonly heading: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `file#N`: the block's position among the file's blocks of the same language. */
  readonly id: string;
  readonly code: string;
}

/** Every README of the project: the root one, then each package's. */
export function readmes(): string[] {
  const packages = readdirSync(join(root, 'packages'))
    .sort()
    .map((p) => join('packages', p, 'README.md'))
    .filter((f) => existsSync(join(root, f)));
  return ['README.md', ...packages];
}

export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  const perLang = new Map<string, number>();
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    const lang = fence[1] ?? '';
    const n = (perLang.get(lang) ?? 0) + 1;
    perLang.set(lang, n);
    const code = `${lines.slice(i + 1, end).join('\n')}\n`;
    blocks.push({ file, lang, heading, line: i + 1, id: `${file}#${lang}${n}`, code });
    i = end;
  }
  return blocks;
}

export const allCodeBlocks = (): CodeBlock[] => readmes().flatMap(codeBlocks);
