// SPDX-License-Identifier: Apache-2.0
// Several verifier instances, one Redis: two processes verify concurrent duplicates of one signed
// request (exactly one accepted, the rest ERR_REPLAY), then distinct requests against maxCalls
// (exactly maxCalls accepted, the rest ERR_USAGE_EXCEEDED).
import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PASSPORT_HEADER, signRequest } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedis, type RunningRedis, startRedis } from '../../http-signatures/test/redis-server.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'ap-mp-'));

describe.skipIf(!haveRedis())('two verifier processes sharing Redis (needs redis-server)', () => {
  let redis: RunningRedis;
  const org = generateKey();
  const agent = generateKey();
  const key = privateKeyObject(agent);
  const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, key));
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const serialise = async (r: Request) => ({
    url: r.url,
    method: r.method,
    headers: Object.fromEntries(r.headers),
    body: await r.text(),
  });
  const worker = async (requests: unknown[], name: string) => {
    const file = join(work, `${name}.json`);
    writeFileSync(file, JSON.stringify({ redisUrl: redis.url, issuer: org.did, requests }));
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, 'request-worker.mjs'), file], {
      timeout: 150_000,
    });
    return JSON.parse(stdout) as Record<string, number>;
  };

  it('replay: 2 × 100 concurrent copies of one signed request → exactly one accepted', {
    timeout: 180_000,
  }, async () => {
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.js'))) throw new Error('build first');
    const passport = await issuePassport({
      issuer: { id: org.did, signer: didKeySigner(org) },
      subject: agent.did,
      agentName: 'a',
      purpose: 'p',
      scopes: ['read:x'],
      validUntil: new Date(Date.now() + 86_400_000),
    });
    const inline = Buffer.from(JSON.stringify(passport)).toString('base64url');
    const one = await serialise(
      await signRequest(new Request('https://api.example/x', { method: 'POST', body: '{"n":1}' }), {
        keyId: `${agent.did}#${agent.publicKeyMultibase}`,
        signer,
        extraHeaders: { [PASSPORT_HEADER]: inline },
      }),
    );
    const copies = Array.from({ length: 100 }, () => one);
    const [a, b] = await Promise.all([worker(copies, 'a'), worker(copies, 'b')]);
    expect((a!['accepted'] ?? 0) + (b!['accepted'] ?? 0)).toBe(1);
    expect((a!['ERR_REPLAY'] ?? 0) + (b!['ERR_REPLAY'] ?? 0)).toBe(199);
  });

  it('usage: 2 × 40 distinct requests against maxCalls 25 → exactly 25 accepted', {
    timeout: 180_000,
  }, async () => {
    const passport = await issuePassport({
      issuer: { id: org.did, signer: didKeySigner(org) },
      subject: agent.did,
      agentName: 'a',
      purpose: 'p',
      scopes: ['read:x'],
      validUntil: new Date(Date.now() + 86_400_000),
      maxCalls: 25,
    });
    const inline = Buffer.from(JSON.stringify(passport)).toString('base64url');
    const make = async () =>
      serialise(
        await signRequest(new Request('https://api.example/x'), {
          keyId: `${agent.did}#${agent.publicKeyMultibase}`,
          signer,
          extraHeaders: { [PASSPORT_HEADER]: inline },
        }),
      );
    const batch = async () => Promise.all(Array.from({ length: 40 }, make));
    const [a, b] = await Promise.all([worker(await batch(), 'c'), worker(await batch(), 'd')]);
    expect((a!['accepted'] ?? 0) + (b!['accepted'] ?? 0)).toBe(25);
    expect((a!['ERR_USAGE_EXCEEDED'] ?? 0) + (b!['ERR_USAGE_EXCEEDED'] ?? 0)).toBe(55);
  });
});
