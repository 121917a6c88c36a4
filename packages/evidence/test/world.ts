// SPDX-License-Identifier: Apache-2.0
// A small world for the evidence tests: an organisation (did:web) with an issuer state, three
// agents with passports, signed requests at chosen times, trust bundles made at chosen times.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPassport, DidDocument } from '@agent-passport/core';
import { buildDidDocument, type DocumentKey } from '@agent-passport/did-web';
import {
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { createRequestVerifier, type EvidenceSink } from '@agent-passport/middleware';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createStatusChecker } from '@agent-passport/status';
import { createSigner, didKeySigner } from '@agent-passport/suites';
import { createTrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';

export const ORG = 'did:web:acme.example';
export const T0 = new Date('2026-06-01T00:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function createWorld(names = ['research-12', 'billing-3', 'support-7']) {
  const dir = mkdtempSync(join(tmpdir(), 'ap-evidence-'));
  const key1 = generateKey();
  const operator = generateKey();
  const state = openIssuerState(join(dir, 'issuer-state.json'), {
    issuer: ORG,
    statusBase: 'https://acme.example/status',
  });
  let keys: DocumentKey[] = [{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }];
  const document = (): DidDocument => buildDidDocument({ did: ORG, keys });
  const signer = createSigner(key1, `${ORG}#key-1`);
  const agents = new Map<string, { key: KeyMaterial; passport: AgentPassport; bytes: Uint8Array }>();

  return {
    dir,
    operator,
    agents,
    state,
    /** The organisation's signer (key-1) and current DID document, for hand-made credentials. */
    signer,
    document,
    /** Mark key-1 compromised as of `since` in the documents bundles carry from now on. */
    compromise(since: Date) {
      keys = [{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase, revoked: since.toISOString() }];
    },
    async issueAll(when = T0, maxCalls?: number) {
      for (const name of names) {
        const key = generateKey();
        const id = `urn:uuid:${crypto.randomUUID()}`;
        const validUntil = new Date(when.getTime() + 90 * 86_400_000).toISOString();
        const { entries } = await state.allocate({
          id,
          subject: key.did,
          agentName: name,
          issuedAt: when.toISOString(),
          validUntil,
        });
        const passport = await issuePassport({
          id,
          issuer: { id: ORG, signer, didDocument: document() },
          subject: key.did,
          agentName: name,
          purpose: 'operations',
          scopes: ['read:papers', 'write:ledger'],
          validUntil,
          credentialStatus: entries,
          ...(maxCalls === undefined ? {} : { maxCalls }),
          now: when,
        });
        agents.set(name, { key, passport, bytes: new TextEncoder().encode(JSON.stringify(passport)) });
      }
    },
    async lists(when: Date) {
      return (await state.issueLists({ signer, now: when })).map((l) => l.credential);
    },
    async bundle(when: Date) {
      return JSON.stringify(
        await createTrustBundle({
          author: { id: operator.did, signer: didKeySigner(operator) },
          issuers: [
            {
              id: ORG,
              didDocument: document(),
              statusLists: await this.lists(when),
              schema: AGENT_PASSPORT_SCHEMA,
            },
          ],
          now: when,
          validForMs: 86_400_000,
        }),
      );
    },
    /** The service: a request verifier at a fixed time with the lists signed at `listsAt`. */
    async service(sink: EvidenceSink, listsAt: Date, options: { recordRefused?: boolean } = {}) {
      let now = listsAt;
      const verifier = createVerifier({
        trustedIssuers: [{ id: ORG, didDocument: document() }],
        checkStatus: createStatusChecker({ lists: await this.lists(listsAt) }),
        clock: () => now,
      });
      const requests = createRequestVerifier({ verifier, clock: () => now, evidence: sink, ...options });
      const sent = new Set<string>();
      return {
        /** An agent's signed call at `when`: the passport on first contact, its reference after. */
        async call(
          name: string,
          when: Date,
          init: { method?: string; path?: string; body?: string; scopes?: string[] } = {},
        ) {
          now = when;
          const a = agents.get(name);
          if (a === undefined) throw new Error(`no agent ${name}`);
          const ref = passportRef(a.bytes);
          const first = !sent.has(ref);
          sent.add(ref);
          const signer = didKeySigner(a.key);
          const request = await signRequest(
            new Request(`https://api.acme.example${init.path ?? '/ledger'}`, {
              method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
              ...(init.body === undefined ? {} : { body: init.body }),
            }),
            {
              keyId: signer.id,
              signer: (data) => signer.sign({ data }),
              created: Math.floor(when.getTime() / 1000),
              extraHeaders: first
                ? { [PASSPORT_HEADER]: Buffer.from(a.bytes).toString('base64url') }
                : { [PASSPORT_REF_HEADER]: ref },
            },
          );
          return requests.verifyRequest(request, { requiredScopes: init.scopes ?? ['write:ledger'] });
        },
      };
    },
  };
}
