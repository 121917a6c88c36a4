// SPDX-License-Identifier: Apache-2.0
// Bitstring Status List v1.0: the encoding against the W3C examples, and the checker from the
// attacker's side: every way a list can be missing, forged, stale or out of range fails closed
// with its own code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDocumentLoader, VC_V2_CONTEXT } from '@agent-passport/contexts';
import { type AgentPassport, type DidDocument, formatDateTime, isPassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { createSigner, signCredential } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import {
  createBitstring,
  createStatusChecker,
  decodeList,
  encodeList,
  getBit,
  issueStatusListCredential,
  MIN_LIST_BYTES,
  setBit,
} from '../src/index.js';

const VECTORS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vectors', 'w3c');
const examples = JSON.parse(readFileSync(join(VECTORS, 'bitstring-status-list-examples.json'), 'utf8')) as {
  notes: string[];
  examples: { id: string; parsed?: { variant: string; json: Record<string, unknown> }[]; raw?: string[] }[];
};
const example = (id: string, variant = 'unsecured') =>
  structuredClone(
    examples.examples.find((e) => e.id === id)?.parsed?.find((p) => p.variant === variant)?.json,
  );
const EXAMPLE_LIST = example('example-example-bitstringstatuslistcredential') as Record<string, unknown>;
const EXAMPLE_ENCODED = (EXAMPLE_LIST['credentialSubject'] as Record<string, unknown>)[
  'encodedList'
] as string;

async function codeOf(p: unknown): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
    return undefined;
  } catch (e) {
    if (isPassportError(e)) return e.code;
    throw e;
  }
}

describe('the bitstring (§4.1 generation, §4.2 expansion)', () => {
  it('decodes the W3C example list: 16 KB of zeros (131,072 statuses, all 0)', () => {
    const bits = decodeList(EXAMPLE_ENCODED);
    expect(bits.length).toBe(16384);
    expect(bits.every((b) => b === 0)).toBe(true);
    expect(examples.notes.join(' ')).toContain('16384 zero bytes');
  });

  it('round-trips: encode then decode gives the same bits', () => {
    const bits = createBitstring();
    for (const i of [0, 7, 8, 94567, 131071]) setBit(bits, i, true);
    const back = decodeList(encodeList(bits));
    expect(Buffer.from(back).equals(Buffer.from(bits))).toBe(true);
    expect(encodeList(bits).startsWith('u')).toBe(true);
    expect(encodeList(bits)).not.toMatch(/[+/=]/);
  });

  it('puts index 0 at the left-most bit (the most significant bit of the first byte)', () => {
    const bits = createBitstring();
    setBit(bits, 0, true);
    expect(bits[0]).toBe(0x80);
    setBit(bits, 9, true);
    expect(bits[1]).toBe(0x40);
    expect(getBit(bits, 9)).toBe(true);
    setBit(bits, 9, false);
    expect(getBit(bits, 9)).toBe(false);
  });

  it('refuses lists below the spec minimum and indexes outside the list', async () => {
    expect(() => createBitstring(8)).toThrow(RangeError);
    expect(await codeOf(() => getBit(createBitstring(), 131072))).toBe('ERR_STATUS_INDEX_RANGE');
    expect(await codeOf(() => setBit(createBitstring(), -1, true))).toBe('ERR_STATUS_INDEX_RANGE');
  });

  const bad: [string, unknown][] = [
    ['not a string', 42],
    ['a base58btc (z) multibase', `z${EXAMPLE_ENCODED.slice(1)}`],
    ['padding', `${EXAMPLE_ENCODED}==`],
    ['standard base64 characters', `${EXAMPLE_ENCODED.slice(0, -2)}+/`],
    ['not GZIP', `u${Buffer.from('hello world').toString('base64url')}`],
    ['a truncated GZIP stream', EXAMPLE_ENCODED.slice(0, 30)],
    ['a list shorter than 16 KB', `u${gzipSync(Buffer.alloc(1024)).toString('base64url')}`],
    ['a GZIP bomb (64 MiB of zeros)', `u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`],
  ];
  for (const [name, encoded] of bad) {
    it(`refuses an encodedList that is ${name} with ERR_STATUS_LIST_INVALID`, async () => {
      expect(await codeOf(() => decodeList(encoded))).toBe('ERR_STATUS_LIST_INVALID');
    });
  }
});

// An issuer (did:web) with a current key, a retired key and a compromised key.
const ORG = 'did:web:acme.example';
const current = generateKey();
const retired = generateKey();
const compromised = generateKey();
const stranger = generateKey();
const RETIRED_AT = '2026-03-01T00:00:00Z';
const COMPROMISED_AT = '2026-04-01T00:00:00Z';
const orgDoc: DidDocument = buildDidDocument({
  did: ORG,
  keys: [
    { id: 'key-3', publicKeyMultibase: current.publicKeyMultibase },
    { id: 'key-1', publicKeyMultibase: retired.publicKeyMultibase, retired: RETIRED_AT },
    { id: 'key-2', publicKeyMultibase: compromised.publicKeyMultibase, revoked: COMPROMISED_AT },
  ],
});
const signer = createSigner(current, `${ORG}#key-3`);
const NOW = new Date('2026-06-01T12:00:00Z');
const REV = 'https://acme.example/status/revocation/1';
const SUS = 'https://acme.example/status/suspension/1';
const ctx = { issuerDocument: orgDoc };

function passportWith(status: unknown, issuer = ORG): AgentPassport {
  return { issuer, credentialStatus: status } as unknown as AgentPassport;
}
const entry = (index: number, purpose = 'revocation', url = purpose === 'revocation' ? REV : SUS) => ({
  id: `${url}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: purpose,
  statusListIndex: String(index),
  statusListCredential: url,
});

async function list(
  options: { purpose?: 'revocation' | 'suspension'; set?: number[]; id?: string; now?: Date } = {},
) {
  const bits = createBitstring();
  for (const i of options.set ?? []) setBit(bits, i, true);
  const purpose = options.purpose ?? 'revocation';
  return issueStatusListCredential({
    id: options.id ?? (purpose === 'revocation' ? REV : SUS),
    issuer: { id: ORG, signer },
    statusPurpose: purpose,
    bits,
    now: options.now ?? new Date('2026-06-01T06:00:00Z'),
  });
}

/** Sign an arbitrary list document with a given key of the org (or anyone). */
async function signAs(doc: Record<string, unknown>, key = current, vm = `${ORG}#key-3`, created = NOW) {
  return signCredential(doc, {
    signer: createSigner(key, vm),
    created,
    documentLoader: createDocumentLoader(),
  });
}

describe('createStatusChecker: passports that pass', () => {
  it('accepts a passport whose bits are clear in both lists', async () => {
    const check = createStatusChecker({
      lists: [await list({ set: [5] }), await list({ purpose: 'suspension' })],
    });
    await expect(check(passportWith([entry(6), entry(6, 'suspension')]), NOW, ctx)).resolves.toBeUndefined();
  });

  it('checks a list re-signed from the W3C example (its encodedList, index 94567 of the example entry)', async () => {
    const doc = { ...EXAMPLE_LIST, issuer: ORG, id: REV, validFrom: formatDateTime(NOW) };
    (doc as Record<string, unknown>)['credentialSubject'] = {
      ...(EXAMPLE_LIST['credentialSubject'] as object),
      id: `${REV}#list`,
    };
    const check = createStatusChecker({ lists: [await signAs(doc)] });
    const w3cEntry = (example('example-a-revocable-verifiable-credential') as Record<string, unknown>)[
      'credentialStatus'
    ] as Record<string, unknown>;
    expect(w3cEntry['statusListIndex']).toBe('94567');
    await expect(
      check(passportWith({ ...w3cEntry, statusListCredential: REV }), NOW, ctx),
    ).resolves.toBeUndefined();
  });

  it('accepts a list signed by a retired key before its retirement, within the age policy', async () => {
    const created = new Date('2026-02-28T00:00:00Z');
    const bits = createBitstring();
    const doc = await issueStatusListCredential({
      id: REV,
      issuer: { id: ORG, signer: createSigner(retired, `${ORG}#key-1`) },
      statusPurpose: 'revocation',
      bits,
      now: created,
      validForMs: 200 * 86_400_000,
    });
    const check = createStatusChecker({ lists: [doc], maxAgeSeconds: 200 * 86_400 });
    await expect(check(passportWith(entry(1)), NOW, ctx)).resolves.toBeUndefined();
  });

  it('passes passports without credentialStatus through', async () => {
    const check = createStatusChecker({ lists: [] });
    await expect(check(passportWith(undefined), NOW, ctx)).resolves.toBeUndefined();
  });
});

describe('createStatusChecker: every failure has its own code (fail closed)', () => {
  const W3C_SIGNED = example('example-a-status-list-verifiable-credential', 'ecdsa-rdfc-2019');
  const cases: [string, () => Promise<{ lists: unknown[]; status: unknown; options?: object }>, string][] = [
    [
      'the passport is revoked',
      async () => ({ lists: [await list({ set: [42] })], status: entry(42) }),
      'ERR_REVOKED',
    ],
    [
      'the passport is suspended',
      async () => ({
        lists: [await list({ purpose: 'suspension', set: [42] })],
        status: entry(42, 'suspension'),
      }),
      'ERR_SUSPENDED',
    ],
    [
      'no list is held for the entry',
      async () => ({ lists: [], status: entry(1) }),
      'ERR_STATUS_UNAVAILABLE',
    ],
    [
      'the list is unsigned (the W3C example as published)',
      async () => ({ lists: [{ ...EXAMPLE_LIST, id: REV, issuer: ORG }], status: entry(1) }),
      'ERR_STATUS_LIST_UNSIGNED',
    ],
    [
      'the list is the W3C example signed by a did:key (ecdsa-rdfc-2019), not by the issuer',
      async () => ({ lists: [{ ...W3C_SIGNED, id: REV }], status: entry(1) }),
      'ERR_STATUS_LIST_UNSIGNED',
    ],
    [
      'the list was tampered with after signing (a revoked bit cleared)',
      async () => {
        const signed = structuredClone(await list({ set: [42] })) as unknown as Record<
          string,
          Record<string, unknown>
        >;
        (signed['credentialSubject'] as Record<string, unknown>)['encodedList'] = encodeList(
          createBitstring(),
        );
        return { lists: [signed], status: entry(42) };
      },
      'ERR_STATUS_LIST_UNSIGNED',
    ],
    [
      'the list is signed by a key that is not the issuer’s',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['proof'];
        return { lists: [await signAs(doc, stranger, `${ORG}#key-3`)], status: entry(1) };
      },
      'ERR_STATUS_LIST_UNSIGNED',
    ],
    [
      'the list is issued by another DID (signed by that DID)',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['proof'];
        doc['issuer'] = stranger.did;
        return {
          lists: [await signAs(doc, stranger, `${stranger.did}#${stranger.publicKeyMultibase}`)],
          status: entry(1),
        };
      },
      'ERR_STATUS_LIST_UNSIGNED',
    ],
    [
      'the list is signed by the compromised key after the compromise',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['proof'];
        return { lists: [await signAs(doc, compromised, `${ORG}#key-2`)], status: entry(1) };
      },
      'ERR_KEY_COMPROMISED',
    ],
    [
      'the list is signed by the retired key after its retirement',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['proof'];
        return { lists: [await signAs(doc, retired, `${ORG}#key-1`)], status: entry(1) };
      },
      'ERR_KEY_RETIRED',
    ],
    [
      'the list is past its validUntil',
      async () => ({
        lists: [await list({ now: new Date('2026-05-30T00:00:00Z') })],
        status: entry(1),
        options: { maxAgeSeconds: 10 * 86_400 },
      }),
      'ERR_STATUS_STALE',
    ],
    [
      'the list is older than the freshness policy',
      async () => ({
        lists: [await list({ now: new Date('2026-06-01T06:00:00Z') })],
        status: entry(1),
        options: { maxAgeSeconds: 3600 },
      }),
      'ERR_STATUS_STALE',
    ],
    [
      'the list is older than its own ttl',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, Record<string, unknown>>;
        delete doc['proof'];
        (doc['credentialSubject'] as Record<string, unknown>)['ttl'] = 60_000;
        return {
          lists: [await signAs(doc, current, `${ORG}#key-3`, new Date('2026-06-01T06:00:00Z'))],
          status: entry(1),
        };
      },
      'ERR_STATUS_STALE',
    ],
    [
      'the list was issued in the future',
      async () => ({ lists: [await list({ now: new Date('2026-06-02T00:00:00Z') })], status: entry(1) }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the index is beyond the end of the list',
      async () => ({ lists: [await list()], status: entry(131072) }),
      'ERR_STATUS_INDEX_RANGE',
    ],
    [
      'a revocation entry points at a suspension list',
      async () => ({ lists: [await list({ purpose: 'suspension', id: REV })], status: entry(1) }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'a message entry of 2 bits (the W3C example) without its statusMessage',
      async () => ({
        lists: [await list()],
        status: { ...entry(1), statusPurpose: 'message', statusSize: 2 },
      }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the entry has statusSize 2',
      async () => ({ lists: [await list()], status: { ...entry(1), statusSize: 2 } }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the entry is not a BitstringStatusListEntry',
      async () => ({ lists: [await list()], status: { ...entry(1), type: 'StatusList2021Entry' } }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the index is not a decimal string',
      async () => ({ lists: [await list()], status: { ...entry(1), statusListIndex: 1 } }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the index has a leading zero',
      async () => ({ lists: [await list()], status: { ...entry(1), statusListIndex: '01' } }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the list credential is not a BitstringStatusListCredential',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['proof'];
        doc['type'] = ['VerifiableCredential'];
        return { lists: [await signAs(doc)], status: entry(1) };
      },
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the list subject is not a BitstringStatusList',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, Record<string, unknown>>;
        delete doc['proof'];
        (doc['credentialSubject'] as Record<string, unknown>)['type'] = 'StatusList2021';
        return { lists: [await signAs(doc)], status: entry(1) };
      },
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the signed list holds fewer than 131,072 entries',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, Record<string, unknown>>;
        delete doc['proof'];
        (doc['credentialSubject'] as Record<string, unknown>)['encodedList'] =
          `u${gzipSync(Buffer.alloc(MIN_LIST_BYTES / 2)).toString('base64url')}`;
        return { lists: [await signAs(doc)], status: entry(1) };
      },
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      'the list breaks a VCDM 2.0 rule (no @context)',
      async () => {
        const doc = structuredClone(await list()) as unknown as Record<string, unknown>;
        delete doc['@context'];
        return { lists: [doc], status: entry(1) };
      },
      'ERR_STATUS_LIST_INVALID',
    ],
  ];
  for (const [name, make, code] of cases) {
    it(`${name}: ${code}`, async () => {
      const { lists, status, options } = await make();
      const check = createStatusChecker({ lists, ...(options ?? {}) });
      expect(await codeOf(check(passportWith(status), NOW, ctx))).toBe(code);
    });
  }

  it('holds several versions of a list and uses the newest issued by the time of the call', async () => {
    const before = await list({ now: new Date('2026-06-01T00:00:00Z') });
    const after = await list({ set: [42], now: new Date('2026-06-01T08:00:00Z') });
    const check = createStatusChecker({ lists: [after, before] });
    await expect(
      check(passportWith(entry(42)), new Date('2026-06-01T06:00:00Z'), ctx),
    ).resolves.toBeUndefined();
    expect(await codeOf(check(passportWith(entry(42)), new Date('2026-06-01T09:00:00Z'), ctx))).toBe(
      'ERR_REVOKED',
    );
    expect(await codeOf(check(passportWith(entry(42)), new Date('2026-05-31T00:00:00Z'), ctx))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });

  it('audits: a later list proves a clear bit, and cannot date a set one (laterListsProveClear)', async () => {
    const later = await list({ set: [42], now: new Date('2026-06-01T08:00:00Z') });
    const check = createStatusChecker({ lists: [later], laterListsProveClear: true });
    const early = new Date('2026-06-01T01:00:00Z');
    await expect(check(passportWith(entry(41)), early, ctx)).resolves.toBeUndefined();
    expect(await codeOf(check(passportWith(entry(42)), early, ctx))).toBe('ERR_STATUS_UNAVAILABLE');
    // Without the audit option a list from after the time is refused as issued in the future.
    expect(await codeOf(createStatusChecker({ lists: [later] })(passportWith(entry(41)), early, ctx))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });

  it('refuses two lists with the same id and the same validFrom at creation', async () => {
    const l = await list();
    expect(await codeOf(() => createStatusChecker({ lists: [l, l] }))).toBe('ERR_STATUS_LIST_INVALID');
    expect(await codeOf(() => createStatusChecker({ lists: [{ type: 'x' }] }))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });

  it('fails closed without an issuer document', async () => {
    const check = createStatusChecker({ lists: [await list()] });
    expect(await codeOf(check(passportWith(entry(1)), NOW, undefined as never))).toBe(
      'ERR_STATUS_UNAVAILABLE',
    );
  });

  it('accepts list credentials as JSON text and validates its options', async () => {
    const check = createStatusChecker({ lists: [JSON.stringify(await list({ set: [3] }))] });
    expect(await codeOf(check(passportWith(entry(3)), NOW, ctx))).toBe('ERR_REVOKED');
    expect(() => createStatusChecker({ lists: 'x' } as never)).toThrow(TypeError);
    expect(() => createStatusChecker({ lists: [], maxAgeSeconds: 0 })).toThrow(RangeError);
    expect(() => createStatusChecker({ lists: [], maxSkewSeconds: 3600 })).toThrow(RangeError);
  });

  it('refuses a status list issued for a did:key issuer by another did:key', async () => {
    const keyIssuer = generateKey();
    const bits = createBitstring();
    const doc = await issueStatusListCredential({
      id: REV,
      issuer: {
        id: stranger.did,
        signer: createSigner(stranger, `${stranger.did}#${stranger.publicKeyMultibase}`),
      },
      statusPurpose: 'revocation',
      bits,
      now: NOW,
    });
    const check = createStatusChecker({ lists: [doc] });
    const code = await codeOf(
      check(passportWith(entry(1), keyIssuer.did), NOW, { issuerDocument: resolveDidKey(keyIssuer.did) }),
    );
    expect(code).toBe('ERR_STATUS_LIST_UNSIGNED');
  });
});

describe('issueStatusListCredential', () => {
  it('issues a VCDM 2.0 BitstringStatusListCredential shaped like the W3C example', async () => {
    const l = (await list()) as unknown as Record<string, unknown>;
    expect(l['@context']).toEqual([VC_V2_CONTEXT]);
    expect(l['type']).toEqual(EXAMPLE_LIST['type']);
    expect(Object.keys(l['credentialSubject'] as object).sort()).toEqual(
      Object.keys(EXAMPLE_LIST['credentialSubject'] as object).sort(),
    );
    expect((l['proof'] as Record<string, unknown>)['cryptosuite']).toBe('eddsa-jcs-2022');
  });

  it('refuses bad options', async () => {
    const bits = createBitstring();
    const issuer = { id: ORG, signer };
    await expect(
      issueStatusListCredential({ id: 'http://x', issuer, statusPurpose: 'revocation', bits }),
    ).rejects.toThrow(TypeError);
    await expect(
      issueStatusListCredential({ id: REV, issuer, statusPurpose: 'refresh' as never, bits }),
    ).rejects.toThrow(TypeError);
    await expect(
      issueStatusListCredential({ id: REV, issuer, statusPurpose: 'revocation', bits, validForMs: 5 }),
    ).rejects.toThrow(RangeError);
  });
});
