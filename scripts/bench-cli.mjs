// SPDX-License-Identifier: Apache-2.0
// The command line, timed as whole processes (start-up and module loading included, which is what
// a user waits for): each command against `node -e 0` run in turn with it in the same run, several
// rounds, medians; the ratio is what to compare across machines and runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'bin.js');
const env = { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'bench passphrase, not a secret', NO_COLOR: '1' };

function timed(args, cwd) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`bench command failed (${r.status}): ${args.join(' ')}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rows { name, runs, medianMs, baselineMs, ratio } for --help and verify of one passport. */
export function benchCli({ smoke = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'ap-bench-cli-'));
  try {
    const cli = (...args) => [bin, '--home', join(work, 'home'), ...args];
    timed(cli('org', 'init', '--did-key'), work);
    timed(cli('agent', 'create', 'bench-agent'), work);
    timed(
      cli(
        'issue',
        '--agent',
        'bench-agent',
        '--purpose',
        'benchmark',
        '--scope',
        'read:arxiv',
        '--out',
        'p.json',
      ),
      work,
    );
    const commands = [
      ['agent-passport --help', cli('--help')],
      ['agent-passport verify (one passport)', cli('verify', 'p.json', '--scope', 'read:arxiv')],
    ];
    const rounds = smoke ? 2 : 11;
    const baseline = [];
    const times = commands.map(() => []);
    timed(['-e', '0'], work); // warm the file cache once
    for (let i = 0; i < rounds; i++) {
      baseline.push(timed(['-e', '0'], work));
      for (const [k, [, args]] of commands.entries()) times[k].push(timed(args, work));
    }
    const baselineMs = median(baseline);
    return [
      { name: 'node -e 0 (baseline)', runs: rounds, medianMs: baselineMs, baselineMs, ratio: 1 },
      ...commands.map(([name], k) => ({
        name,
        runs: rounds,
        medianMs: median(times[k]),
        baselineMs,
        ratio: median(times[k]) / baselineMs,
      })),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
