// SPDX-License-Identifier: Apache-2.0
// The issuer state's `message` lists: each passport gets a message entry carrying the configured
// statusSize, statusMessage and statusReference; its value is set durably, within 0 … 2^size − 1,
// and the signed message list gives that value and message back to a status reader.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { createStatusReader, MIN_LIST_ENTRIES, readStatus } from '@agent-passport/status';
import { canonicalize } from '@agent-passport/strict-json';
import { createSigner } from '@agent-passport/suites';
import { afterAll, describe, expect, it } from 'vitest';
import { type IssuerStateOptions, openIssuerState } from '../src/index.js';

const ISSUER = 'did:web:acme.example';
const BASE = 'https://acme.example/status';
const work = mkdtempSync(join(tmpdir(), 'ap-msg-state-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(work, `s${n++}`, 'issuer-state.json');
const MESSAGE = {
  statusSize: 2,
  statusMessage: [
    { status: '0x0', message: 'valid' },
    { status: '0x1', message: 'under review' },
    { status: '0x2', message: 'superseded' },
    { status: '0x3', message: 'withdrawn' },
  ],
  statusReference: 'https://acme.example/status/messages',
};
const open = (file: string, message: IssuerStateOptions['message'] = MESSAGE) =>
  openIssuerState(file, { issuer: ISSUER, statusBase: BASE, lockTimeoutMs: 300, message });
const record = (id: string) => ({
  id,
  subject: `urn:uuid:${id}`,
  agentName: 'research-12',
  issuedAt: '2026-06-01T00:00:00Z',
  validUntil: '2026-09-01T00:00:00Z',
});

describe('message entries in the issuer state', () => {
  it('adds a message entry after revocation and suspension, with the configured table', async () => {
    const state = open(fresh());
    const { index, entries } = await state.allocate(record('a'));
    expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension', 'message']);
    expect(entries[2]).toEqual({
      id: `${BASE}/message/1#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: String(index),
      statusListCredential: `${BASE}/message/1`,
      ...MESSAGE,
    });
    expect(state.read().messageSize).toBe(2);
    expect(state.read().passports['a']?.message).toBe(0);
  });

  it('sets a value per passport; the signed list gives it back with its message', async () => {
    const key = generateKey();
    const doc = buildDidDocument({ did: ISSUER, keys: [{ publicKeyMultibase: key.publicKeyMultibase }] });
    const state = open(fresh());
    const a = await state.allocate(record('a'));
    const b = await state.allocate(record('b'));
    await state.setMessage({ id: 'a' }, 2);
    await state.setMessage({ subject: 'urn:uuid:b' }, 3);
    const message = state.bitstrings().find((l) => l.purpose === 'message');
    expect([message?.statusSize, message?.bits.length]).toEqual([2, (MIN_LIST_ENTRIES * 2) / 8]);
    expect(readStatus(message?.bits as Uint8Array, a.index, 2)).toBe(2);
    const now = new Date();
    const lists = await state.issueLists({ signer: createSigner(key, `${ISSUER}#key-1`), now });
    expect(lists.map((l) => l.url)).toEqual([
      `${BASE}/revocation/1`,
      `${BASE}/suspension/1`,
      `${BASE}/message/1`,
    ]);
    const read = createStatusReader({ lists: lists.map((l) => l.credential) });
    const statusOf = async (entries: unknown) =>
      (await read({ issuer: ISSUER, credentialStatus: entries } as never, now, { issuerDocument: doc })).map(
        (r) => [r.purpose, r.status, r.message],
      );
    expect(await statusOf(a.entries)).toEqual([
      ['revocation', 0, undefined],
      ['suspension', 0, undefined],
      ['message', 2, 'superseded'],
    ]);
    expect((await statusOf(b.entries))[2]).toEqual(['message', 3, 'withdrawn']);
  });

  it('refuses a value outside 0 … 3, and passports issued without a message entry', async () => {
    const file = fresh();
    await openIssuerState(file, { issuer: ISSUER, statusBase: BASE }).allocate(record('plain'));
    const state = open(file);
    await state.allocate(record('a'));
    for (const value of [4, -1, 1.5, Number.NaN])
      await expect(state.setMessage({ id: 'a' }, value)).rejects.toMatchObject({
        code: 'ERR_STATUS_VALUE_INVALID',
      });
    await expect(state.setMessage({ id: 'plain' }, 1)).rejects.toMatchObject({
      code: 'ERR_STATUS_VALUE_INVALID',
    });
    await expect(state.setMessage({ id: 'nobody' }, 1)).rejects.toMatchObject({
      code: 'ERR_PASSPORT_NOT_FOUND',
    });
    expect(state.read().passports['a']?.message).toBe(0);
  });

  it('refuses a table that is not a valid message entry, and a statusSize the lists do not have', async () => {
    for (const bad of [
      { ...MESSAGE, statusSize: 0 },
      { ...MESSAGE, statusSize: 9 },
      { ...MESSAGE, statusMessage: MESSAGE.statusMessage.slice(0, 3) },
      { ...MESSAGE, statusReference: 'our wiki' },
    ])
      expect(() => open(fresh(), bad)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INVALID' }));
    const file = fresh();
    await open(file).allocate(record('a'));
    const three = {
      statusSize: 3,
      statusMessage: Array.from({ length: 8 }, (_, v) => ({ status: `0x${v}`, message: `m${v}` })),
    };
    await expect(open(file, three).allocate(record('b'))).rejects.toMatchObject({
      code: 'ERR_STATUS_LIST_INVALID',
    });
  });

  it('detects a message value edited outside its lists (digest recomputed)', async () => {
    const file = fresh();
    const state = open(file);
    await state.allocate(record('a'));
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    parsed.state.passports['a'].message = 4;
    parsed.digest = createHash('sha256').update(canonicalize(parsed.state)).digest('base64url');
    writeFileSync(file, JSON.stringify(parsed));
    expect(() => state.read()).toThrow(expect.objectContaining({ code: 'ERR_STATE_CORRUPT' }));
  });
});
