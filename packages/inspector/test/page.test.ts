// SPDX-License-Identifier: Apache-2.0
// The page's pure parts, on Node: what a pasted text is, raw HTTP text, relative times, the state
// in the fragment. (The page itself runs in Chromium: test/browser/inspector.test.ts.)
import { isPassportError } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';
import { detectKind } from '../src/page/detect.js';
import { parseHttpText } from '../src/page/http-text.js';
import { decodeState, encodeState, type PageState } from '../src/page/state.js';
import { duration, validityText } from '../src/page/time.js';

describe('detectKind', () => {
  it('reads requests, bundles, presentations, evidence entries, passports and other proofs', () => {
    expect(detectKind('GET /x HTTP/1.1\nhost: a.example\n\n')).toBe('request');
    expect(detectKind('{"type":["VerifiableCredential","AgentPassportTrustBundle"]}')).toBe('bundle');
    expect(detectKind('{"type":["VerifiablePresentation"]}')).toBe('presentation');
    expect(detectKind('{"v":1,"seq":3,"prev":"x","hash":"y"}')).toBe('evidence');
    expect(detectKind('{"type":["VerifiableCredential","AgentPassport"],"proof":{}}')).toBe('passport');
    expect(detectKind('{"@context":["https://w3id.org/agent-passport/v1"],"type":"X","proof":{}}')).toBe(
      'passport',
    );
    expect(detectKind('{"type":["VerifiableCredential"],"proof":{}}')).toBe('proof');
    // Anything else goes to the passport verifier, whose parse check says why.
    for (const text of ['not json', '[1]', '"s"', '{"a":1}']) expect(detectKind(text), text).toBe('passport');
  });
});

describe('parseHttpText', () => {
  it('takes the request line, the headers and the body; https is assumed from Host', () => {
    const r = parseHttpText(
      'POST /ledger?x=1 HTTP/1.1\r\nHost: api.example\r\nContent-Type: text/plain\r\n\r\nhi',
    );
    expect(r).toMatchObject({ method: 'POST', url: 'https://api.example/ledger?x=1', assumedHttps: true });
    expect(r.headers).toEqual([
      ['host', 'api.example'],
      ['content-type', 'text/plain'],
    ]);
    expect(new TextDecoder().decode(r.body)).toBe('hi');
    expect(parseHttpText('GET http://a.example:8080/p HTTP/1.1\n\n')).toMatchObject({
      url: 'http://a.example:8080/p',
      assumedHttps: false,
      body: undefined,
    });
  });

  it('refuses what is not a request with ERR_PARSE_TYPE', () => {
    for (const text of [
      'GET /x',
      'GET /x HTTP/1.1\nno-colon\n\n',
      'GET /x HTTP/1.1\n\n',
      'GET /x HTTP/1.1\nhost: [::\n\n',
    ]) {
      let code: string | undefined;
      try {
        parseHttpText(text);
      } catch (e) {
        code = isPassportError(e) ? e.code : String(e);
      }
      expect(code, text).toBe('ERR_PARSE_TYPE');
    }
  });
});

describe('times', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('says how long, in the largest whole unit', () => {
    expect(duration(0)).toBe('0 seconds');
    expect(duration(1000)).toBe('1 second');
    expect(duration(-90 * 60_000)).toBe('1 hour');
    expect(duration(3 * 86_400_000 + 5)).toBe('3 days');
  });

  it('says when a credential expires or since when it has expired', () => {
    expect(validityText('2026-05-01T00:00:00Z', '2026-06-04T12:00:00Z', now)).toBe(
      'from 2026-05-01T00:00:00Z, until 2026-06-04T12:00:00Z (expires in 3 days)',
    );
    expect(validityText(undefined, '2026-06-01T10:00:00Z', now)).toBe(
      'expired since 2026-06-01T10:00:00Z (2 hours ago)',
    );
    expect(validityText('2026-06-02T12:00:00Z', undefined, now)).toBe(
      'not valid until 2026-06-02T12:00:00Z (in 1 day), no end date',
    );
  });
});

describe('the state in the fragment', () => {
  it('round-trips any text, and ignores fragments it did not write', () => {
    const state: PageState = {
      doc: '{"é":"😀"}',
      kind: 'auto',
      trust: { docs: 'did:key:z6Mk', bundle: '', bundleAuthor: '' },
      options: { asOf: '', challenge: 'c', domain: '', scopes: 'read:a', purposes: '', origin: '' },
    };
    const hash = encodeState(state);
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(decodeState(hash)).toEqual(state);
    for (const other of ['', '#x', '#s=***', '#s=bm90IGpzb24', `#s=${btoa('[1]')}`])
      expect(decodeState(other), other).toBeUndefined();
  });
});
