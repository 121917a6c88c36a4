// SPDX-License-Identifier: Apache-2.0
// An atomic write that the disk cuts short replaces nothing. `writeSync` reports a short write
// (a full disk, a file-size limit) only by its return value; ignored, the torn temporary file was
// renamed into place, so a key file, a key index or an issuer's status state was cut in half.
// Now the rest is written or the write fails and the previous file stays. The limit is real:
// `ulimit -f` in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a replacement the file-size limit cuts short and keeps the previous file', () => {
  const file = join(dir, 'state.json');
  writeFileSync(file, 'the previous state\n');
  const dist = join(import.meta.dirname, '..', 'dist', 'index.js');
  const script = `import { writeAtomic } from ${JSON.stringify(dist)};
try { writeAtomic(${JSON.stringify(file)}, ${JSON.stringify(dir)}, 'x'.repeat(10000)); console.log('written'); }
catch (e) { console.log('refused', e.code); }`;
  const run = spawnSync(
    'bash',
    ['-c', `ulimit -f 8 && exec "${process.execPath}" --input-type=module -e "$0"`, script],
    {
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toBe('refused EFBIG');
  expect(readFileSync(file, 'utf8')).toBe('the previous state\n');
  expect(readdirSync(dir)).toEqual(['state.json']);
});
