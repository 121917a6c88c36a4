// SPDX-License-Identifier: Apache-2.0
// Reading `message` entries (Bitstring Status List v1.0 §3.2 validate algorithm, steps 8–14): the
// value of statusSize bits at index × statusSize, its message from the entry's statusMessage, a
// list of at least 131,072 entries of that size; a message never refuses a credential.
import type { AgentPassport } from '@agent-passport/core';
import { isPassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import {
  createBitstring,
  createStatusChecker,
  createStatusReader,
  issueStatusListCredential,
  MAX_STATUS_SIZE,
  MIN_LIST_ENTRIES,
  setBit,
  writeStatus,
} from '../src/index.js';

const key = generateKey();
const ORG = key.did;
const signer = didKeySigner(key);
const ctx = { issuerDocument: resolveDidKey(ORG) };
const NOW = new Date('2026-06-01T12:00:00Z');
const MSG = 'https://acme.example/status/message/1';
const REV = 'https://acme.example/status/revocation/1';
const table = (size: number) =>
  Array.from({ length: 2 ** size }, (_, v) => ({ status: `0x${v.toString(16)}`, message: `m${v}` }));

const messageEntry = (index: number, size = 2, extra: Record<string, unknown> = {}) => ({
  id: `${MSG}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'message',
  statusListIndex: String(index),
  statusListCredential: MSG,
  statusSize: size,
  statusMessage: table(size),
  statusReference: 'https://acme.example/status/messages',
  ...extra,
});
const revocationEntry = (index: number) => ({
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: REV,
});
const passportWith = (status: unknown) =>
  ({ issuer: ORG, credentialStatus: status }) as unknown as AgentPassport;

async function messageList(
  size: number,
  values: Record<number, number>,
  opts: { bytes?: number; now?: Date } = {},
) {
  const bits = createBitstring(opts.bytes === undefined ? MIN_LIST_ENTRIES * size : opts.bytes * 8);
  for (const [index, value] of Object.entries(values)) writeStatus(bits, Number(index), size, value);
  return issueStatusListCredential({
    id: MSG,
    issuer: { id: ORG, signer },
    statusPurpose: 'message',
    bits,
    ...(opts.bytes === undefined ? { statusSize: size } : {}),
    now: opts.now ?? new Date('2026-06-01T06:00:00Z'),
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (isPassportError(e)) return e.code;
    throw e;
  }
}

describe('message entries: the value and its message', () => {
  it('reads a 2-bit value and its message; the checker lets the credential through', async () => {
    const lists = [await messageList(2, { 7: 2, 8: 3 })];
    const read = createStatusReader({ lists });
    expect(await read(passportWith(messageEntry(7)), NOW, ctx)).toEqual([
      { purpose: 'message', statusListCredential: MSG, statusListIndex: '7', status: 2, message: 'm2' },
    ]);
    expect((await read(passportWith(messageEntry(6)), NOW, ctx))[0]).toMatchObject({
      status: 0,
      message: 'm0',
    });
    await expect(
      createStatusChecker({ lists })(passportWith(messageEntry(8)), NOW, ctx),
    ).resolves.toBeUndefined();
  });

  it('reads every value of entries of 1 to 8 bits (the last entry of each list, left-most bit first)', async () => {
    for (let size = 1; size <= MAX_STATUS_SIZE; size++) {
      const last = MIN_LIST_ENTRIES - 1;
      const read = createStatusReader({ lists: [await messageList(size, { [last]: 2 ** size - 1, 0: 1 })] });
      const [r] = await read(passportWith(messageEntry(last, size)), NOW, ctx);
      expect([r?.status, r?.message]).toEqual([2 ** size - 1, `m${2 ** size - 1}`]);
      const [first] = await read(passportWith(messageEntry(0, size)), NOW, ctx);
      expect(first?.status).toBe(1);
    }
  });

  it('reports revocation, suspension and message entries in order; a set revocation bit still refuses', async () => {
    const bits = createBitstring();
    setBit(bits, 7, true);
    const revocation = await issueStatusListCredential({
      id: REV,
      issuer: { id: ORG, signer },
      statusPurpose: 'revocation',
      bits,
      now: new Date('2026-06-01T06:00:00Z'),
    });
    const lists = [revocation, await messageList(2, { 7: 1 })];
    const both = passportWith([revocationEntry(7), messageEntry(7)]);
    const results = await createStatusReader({ lists })(both, NOW, ctx);
    expect(results.map((r) => [r.purpose, r.status, r.message])).toEqual([
      ['revocation', 1, undefined],
      ['message', 1, 'm1'],
    ]);
    expect(await codeOf(createStatusChecker({ lists })(both, NOW, ctx))).toBe('ERR_REVOKED');
  });
});

describe('message entries: every defect fails closed', () => {
  const cases: [string, () => Promise<{ lists: unknown[]; status: unknown; options?: object }>, string][] = [
    [
      'the message list holds fewer than 131,072 entries of its size (16 KB of 2-bit entries)',
      async () => ({ lists: [await messageList(2, {}, { bytes: 16 * 1024 })], status: messageEntry(1) }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the index is past the last 2-bit entry',
      async () => ({ lists: [await messageList(2, {})], status: messageEntry(MIN_LIST_ENTRIES) }),
      'ERR_STATUS_INDEX_RANGE',
    ],
    [
      'a message entry points at a revocation list',
      async () => ({
        lists: [
          await issueStatusListCredential({
            id: MSG,
            issuer: { id: ORG, signer },
            statusPurpose: 'revocation',
            bits: createBitstring(MIN_LIST_ENTRIES * 2),
            now: new Date('2026-06-01T06:00:00Z'),
          }),
        ],
        status: messageEntry(1),
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a message entry without statusMessage',
      async () => ({
        lists: [await messageList(2, {})],
        status: messageEntry(1, 2, { statusMessage: undefined }),
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a statusMessage that misses a value',
      async () => ({
        lists: [await messageList(2, {})],
        status: messageEntry(1, 2, { statusMessage: table(2).slice(1) }),
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a statusSize of 9',
      async () => ({ lists: [await messageList(2, {})], status: messageEntry(1, 9) }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a statusReference that is not a URL',
      async () => ({
        lists: [await messageList(2, {})],
        status: messageEntry(1, 2, { statusReference: 'ask us' }),
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a revocation entry of 2 bits, even with a complete statusMessage',
      async () => ({
        lists: [await messageList(2, {})],
        status: { ...messageEntry(1), statusPurpose: 'revocation' },
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'an audit reads a non-zero message from a list issued after the time asked',
      async () => ({
        lists: [await messageList(2, { 1: 3 }, { now: new Date('2026-06-02T00:00:00Z') })],
        status: messageEntry(1),
        options: { laterListsProveClear: true, maxAgeSeconds: 10 * 86_400 },
      }),
      'ERR_STATUS_UNAVAILABLE',
    ],
  ];
  it.each(cases)('%s', async (_label, make, code) => {
    const { lists, status, options } = await make();
    const entry = status as Record<string, unknown>;
    for (const [k, v] of Object.entries(entry)) if (v === undefined) delete entry[k];
    const read = createStatusReader({ lists, ...options });
    expect(await codeOf(read(passportWith(entry), NOW, ctx))).toBe(code);
  });
});

describe('issuing a message list', () => {
  it('carries the message purpose and refuses bits too few for its statusSize', async () => {
    const list = await messageList(3, { 5: 6 });
    expect(list.credentialSubject.statusPurpose).toBe('message');
    expect(Object.keys(list.credentialSubject).sort()).toEqual([
      'encodedList',
      'id',
      'statusPurpose',
      'type',
    ]);
    const issue = (statusSize: number) =>
      issueStatusListCredential({
        id: MSG,
        issuer: { id: ORG, signer },
        statusPurpose: 'message',
        bits: createBitstring(),
        statusSize,
      });
    await expect(issue(2)).rejects.toThrow(RangeError);
    expect(await codeOf(issue(9))).toBe('ERR_STATUS_LIST_INVALID');
  });
});
