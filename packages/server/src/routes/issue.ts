// SPDX-License-Identifier: Apache-2.0
// POST /credentials/issue {credential, options?: {cryptosuite?, envelope?}}: 201
// {verifiableCredential}. The data model (and an AgentPassport's schema) through
// assertPassportValid, signing through signCredential, as the issuer package does; on an https
// origin, a revocation and a suspension entry are reserved in the issuer state before signing.
import { randomUUID } from 'node:crypto';
import { CONTEXTS } from '@agent-passport/contexts';
import { formatDateTime, isObject, type JsonObject, parseDateTime } from '@agent-passport/core';
import { assertPassportValid, VC_V1 } from '@agent-passport/schema';
import { createRdfcBudget, signCredential } from '@agent-passport/suites';
import type { Handler } from 'hono';
import type { IssuingCryptosuite } from '../config.js';
import { envelopeCredential, VC_JWT } from '../envelope.js';
import { apiError } from '../errors.js';
import { bodyOf, type Env, reply } from '../http/reply.js';
import type { Service } from '../service.js';
import { idOf } from '../verify/credential.js';
import { assertStatusEntries } from './status-entries.js';

interface IssueRequest {
  /** The credential without its earlier proofs, an id added when missing. */
  readonly credential: JsonObject;
  /** Proofs it came with: ours is added to the set (Data Integrity §2.1.2). */
  readonly earlier: unknown;
  readonly cryptosuite: IssuingCryptosuite;
  readonly envelope: boolean;
  /** A VCDM 1.1 credential (its first context says so). */
  readonly v11: boolean;
}

function parseRequest(body: unknown, service: Service): IssueRequest {
  const { did, cryptosuites } = service.settings;
  if (!isObject(body) || !isObject(body['credential']))
    throw apiError('ERR_API_REQUEST', 'the body must be {credential, options}');
  const options = body['options'] ?? {};
  if (!isObject(options)) throw apiError('ERR_API_REQUEST', 'options must be an object');
  const envelope = options['envelope'];
  if (envelope !== undefined && envelope !== VC_JWT)
    throw apiError('ERR_API_REQUEST', `options.envelope must be ${VC_JWT}`);
  const cryptosuite = (options['cryptosuite'] ?? cryptosuites[0]) as IssuingCryptosuite;
  if (!cryptosuites.includes(cryptosuite))
    throw apiError('ERR_CRYPTOSUITE_UNSUPPORTED', `this server issues with ${cryptosuites.join(', ')}`);
  const { proof: earlier, ...input } = body['credential'];
  if (earlier !== undefined && !isObject(earlier) && !(Array.isArray(earlier) && earlier.every(isObject)))
    throw apiError('ERR_API_REQUEST', 'proof must be an object or a list of objects');
  const issuerId = idOf(input['issuer']);
  if (issuerId !== undefined && issuerId !== did)
    throw apiError('ERR_ISSUER_MISMATCH', `this server issues as ${did}, not ${String(issuerId)}`);
  const credential: JsonObject = {
    '@context': input['@context'],
    id: input['id'] ?? `urn:uuid:${randomUUID()}`,
    ...input,
  };
  const v11 = Array.isArray(credential['@context']) && credential['@context'][0] === VC_V1;
  return { credential, earlier, cryptosuite, envelope: envelope !== undefined, v11 };
}

/** The data model, the passport schema, and what each way of securing it allows. */
function checkCredential(request: IssueRequest, service: Service): void {
  const { credential, v11 } = request;
  // A 1.1 credential's issuanceDate is now unless given; AgentPassports are 2.0 only.
  if (v11) credential['issuanceDate'] ??= formatDateTime(service.settings.clock());
  const types = credential['type'];
  if (v11 && Array.isArray(types) && types.includes('AgentPassport'))
    throw apiError(
      'ERR_VCDM_INVALID',
      `/@context/0: an AgentPassport is a VCDM 2.0 credential, not ${VC_V1}`,
    );
  const contexts = service.settings.contexts;
  assertPassportValid(credential, { otherTypes: 'skip', dataModels: 'any', contexts });
  // VC-JOSE-COSE secures VCDM 2.0 credentials, one signature each; passports stay Data Integrity.
  const passport = (credential['type'] as string[]).includes('AgentPassport');
  if (request.envelope && (v11 || request.earlier !== undefined || passport))
    throw apiError(
      'ERR_API_REQUEST',
      'only a VCDM 2.0 credential without proofs, not a passport, is enveloped',
    );
  if (request.cryptosuite !== 'eddsa-rdfc-2022') return;
  const unknown = (credential['@context'] as unknown[]).find(
    (c) => typeof c === 'string' && !CONTEXTS.has(c) && !Object.hasOwn(contexts, c),
  );
  if (unknown !== undefined)
    throw apiError('ERR_DOCUMENT_NOT_FOUND', `the context ${String(unknown)} is not known offline`);
}

/** Entries given are checked; else, with an issuer state, a 2.0 credential gets its own reserved. */
async function addStatus(request: IssueRequest, service: Service): Promise<void> {
  const { credential, v11 } = request;
  if (credential['credentialStatus'] !== undefined)
    return assertStatusEntries(credential['credentialStatus']);
  const { state } = service.status;
  // The 1.1 context defines no BitstringStatusListEntry: 1.1 credentials get no status entry.
  if (state === undefined || v11) return;
  // assertPassportValid has refused malformed dates and a validUntil before validFrom.
  const until = parseDateTime(credential['validUntil']);
  const subjects = credential['credentialSubject'];
  const subject = idOf(Array.isArray(subjects) ? undefined : subjects);
  const { entries } = await state.allocate({
    id: `urn:uuid:${randomUUID()}`,
    subject: String(credential['id']),
    agentName: typeof subject === 'string' && subject.length > 0 ? subject : String(credential['id']),
    issuedAt: service.settings.clock().toISOString(),
    validUntil: until === undefined ? '9999-12-31T23:59:59Z' : new Date(until).toISOString(),
  });
  credential['credentialStatus'] = entries;
}

async function secure(request: IssueRequest, service: Service): Promise<JsonObject> {
  const { signer, clock, rdfcLimits } = service.settings;
  if (request.envelope) return envelopeCredential(request.credential, signer);
  const signed = await signCredential(request.credential, {
    signer,
    created: clock(),
    documentLoader: service.documentLoader,
    cryptosuite: request.cryptosuite,
    rdfcBudget: createRdfcBudget(rdfcLimits),
  });
  const { earlier } = request;
  if (earlier !== undefined)
    signed['proof'] = [...(Array.isArray(earlier) ? earlier : [earlier]), signed['proof']];
  return signed;
}

export function issueRoute(service: Service): Handler<Env> {
  return async function issue(c) {
    const request = parseRequest(bodyOf(c), service);
    checkCredential(request, service);
    await addStatus(request, service);
    return reply(c, 201, { verifiableCredential: await secure(request, service) });
  };
}
