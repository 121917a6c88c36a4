// SPDX-License-Identifier: Apache-2.0
// A Data Integrity document that is not a passport (a W3C test vector, any credential): its proof
// checked with the suites the verifier uses, the key's controller a did:key (resolved offline) or
// a pasted DID document. Trust is reported, not checked: such a document authorises nothing here.
import { createDocumentLoader } from '@agent-passport/contexts';
import { type DidDocument, failUnless, PassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { parseJson } from '@agent-passport/strict-json';
import { createRdfcBudget, verifyProof } from '@agent-passport/suites';
import { runPageChecks } from './checks.js';
import { credentialFields } from './summary.js';
import type { Trust } from './trust.js';
import type { Report, RunSettings } from './types.js';

/** The W3C examples context (its published content), used by the specifications' vectors. */
const EXAMPLES_CONTEXT = {
  'https://www.w3.org/ns/credentials/examples/v2': {
    '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
  },
};

const documentLoader = createDocumentLoader({ extra: EXAMPLES_CONTEXT });

/** The controller document of a verification method: did:key offline, others from the trust. */
function controllerOf(verificationMethod: unknown, trust: Trust): DidDocument {
  const did = typeof verificationMethod === 'string' ? (verificationMethod.split('#')[0] ?? '') : '';
  if (did.startsWith('did:key:')) return resolveDidKey(did);
  for (const i of trust.trustedIssuers)
    if (typeof i !== 'string' && i.id === did && i.didDocument !== undefined) return i.didDocument;
  throw new PassportError('ERR_DID_NOT_FOUND', `no DID document is pasted for ${did || 'the proof key'}`);
}

export async function verifyProofText(text: string, trust: Trust, settings: RunSettings): Promise<Report> {
  let doc: Record<string, unknown> = {};
  let controller: DidDocument | undefined;
  let suite = '';
  const outcome = await runPageChecks([
    [
      'parse',
      () => {
        doc = parseJson(text) as Record<string, unknown>;
        failUnless(typeof doc === 'object' && doc !== null, 'ERR_PARSE_TYPE', 'a document is a JSON object');
      },
    ],
    [
      'proof-key',
      () => {
        const proof = doc['proof'] as { verificationMethod?: unknown } | undefined;
        controller = controllerOf(proof?.verificationMethod, trust);
      },
    ],
    [
      'proof',
      async () => {
        const r = await verifyProof(doc, {
          proofPurpose: 'assertionMethod',
          controller: controller as DidDocument,
          documentLoader,
          // A person waits for this page: a generous RDFC deadline (a browser has no CPU clock).
          rdfcBudget: createRdfcBudget({ cpuMs: 30_000 }),
        });
        failUnless(r.verified, r.verified ? 'ERR_PROOF_INVALID' : r.code, r.verified ? '' : r.message);
        suite = r.cryptosuite;
      },
    ],
  ]);
  const trusted = trust.trustedIssuers.some((i) => (typeof i === 'string' ? i : i.id) === controller?.id);
  return {
    kind: 'proof',
    ...outcome,
    summary: credentialFields(doc, settings.now),
    json: doc,
    notes: [
      'not an AgentPassport: only its Data Integrity proof is verified',
      ...(controller === undefined
        ? []
        : [
            `signed by ${controller.id}${suite ? ` (${suite})` : ''}: ${trusted ? 'an issuer you trust' : 'not among the issuers you trust'}`,
          ]),
      ...trust.notes,
    ],
  };
}
