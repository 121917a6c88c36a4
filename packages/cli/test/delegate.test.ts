// SPDX-License-Identifier: Apache-2.0
// `agent-passport delegate`, run as a user would: the organisation issues a planner a passport that
// may be delegated; the planner delegates read:arxiv for 10 minutes to a sub-agent; a widened scope,
// a window past the parent's and a passport that may not be delegated are refused with their codes.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-cli-delegate-'));
const home = join(work, 'home');

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, '--home', home, ...args], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple', NO_COLOR: '1' },
    timeout: 60_000,
  });
}
const json = (file: string) => JSON.parse(readFileSync(join(work, file), 'utf8')) as Record<string, unknown>;

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`build the CLI first (npm run build): ${bin} is missing`);
  for (const args of [
    ['org', 'init', '--did-key'],
    ['agent', 'create', 'planner'],
    ['agent', 'create', 'researcher'],
  ]) {
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('agent-passport delegate', () => {
  it('delegates read:arxiv for 10 minutes to a sub-agent; the chain verifies', async () => {
    const researcher = JSON.parse(run(['--json', 'agent', 'list']).stdout) as { name: string; did: string }[];
    const to = researcher.find((a) => a.name === 'researcher')?.did as string;
    const issued = run([
      'issue',
      '--agent',
      'planner',
      '--purpose',
      'research planning',
      '--scope',
      'read:arxiv',
      '--scope',
      'write:notes',
      '--valid-for',
      '1h',
      '--delegation-depth',
      '1',
      '--out',
      'passport.json',
    ]);
    expect(issued.status, issued.stderr).toBe(0);
    const made = run([
      'delegate',
      '--from',
      'planner',
      '--to',
      to,
      '--parent',
      'passport.json',
      '--scope',
      'read:arxiv',
      '--valid-for',
      '10m',
      '--audience',
      'https://api.example',
      '--out',
      'delegation.json',
    ]);
    expect(made.status, made.stderr).toBe(0);
    const passport = json('passport.json');
    const delegation = json('delegation.json');
    expect(delegation['type']).toEqual(['VerifiableCredential', 'AgentDelegation']);
    const result = await createDelegationVerifier({
      trustedIssuers: [passport['issuer'] as string],
      origin: 'https://api.example',
    }).verifyChain(
      { passport, delegations: [delegation] },
      { presenter: to, requiredScopes: ['read:arxiv'] },
    );
    expect(result.errors).toEqual([]);

    const widened = run([
      'delegate',
      '--from',
      'planner',
      '--to',
      to,
      '--parent',
      'passport.json',
      '--scope',
      'read:*',
    ]);
    expect(widened.status).toBe(3);
    expect(widened.stderr).toContain('ERR_DELEGATION_SCOPE_WIDENED');
    const outliving = run([
      'delegate',
      '--from',
      'planner',
      '--to',
      to,
      '--parent',
      'passport.json',
      '--scope',
      'read:arxiv',
      '--valid-for',
      '2h',
    ]);
    expect(outliving.status).toBe(3);
    expect(outliving.stderr).toContain('ERR_DELEGATION_WINDOW');
    // The sub-agent may not delegate further (maxDepth 0).
    const deeper = run([
      'delegate',
      '--from',
      'researcher',
      '--to',
      to,
      '--parent',
      'delegation.json',
      '--scope',
      'read:arxiv',
      '--valid-for',
      '5m',
    ]);
    expect(deeper.status).toBe(3);
    expect(deeper.stderr).toContain('ERR_DELEGATION_DEPTH');
    expect(run(['delegate', '--from', 'planner']).status).toBe(2);
  });

  it('refuses to delegate a passport that does not allow it (ERR_DELEGATION_NOT_ALLOWED)', () => {
    expect(
      run(['issue', '--agent', 'planner', '--purpose', 'p', '--scope', 'read:x', '--out', 'closed.json'])
        .status,
    ).toBe(0);
    const r = run([
      'delegate',
      '--from',
      'planner',
      '--to',
      'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
      '--parent',
      'closed.json',
      '--scope',
      'read:x',
      '--valid-for',
      '5m',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ERR_DELEGATION_NOT_ALLOWED');
  });
});
