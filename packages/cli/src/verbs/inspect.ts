// SPDX-License-Identifier: Apache-2.0
// `inspect`: decode a passport or presentation without verifying it.
import type { VerbContext } from '../context.js';
import { readJsonInput } from '../internal/files.js';

type Json = Record<string, unknown>;
const object = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};

/** The fields a person looks at first, from a passport or the first one in a presentation. */
export function summarise(input: Json): Json {
  const types = Array.isArray(input['type']) ? (input['type'] as unknown[]) : [];
  const isVp = types.includes('VerifiablePresentation');
  const vcs = input['verifiableCredential'];
  const passport = isVp ? object(Array.isArray(vcs) ? vcs[0] : vcs) : input;
  const subject = object(passport['credentialSubject']);
  const proof = object(passport['proof']);
  return {
    kind: isVp ? 'presentation' : 'credential',
    id: passport['id'],
    type: passport['type'],
    issuer: passport['issuer'],
    validFrom: passport['validFrom'],
    validUntil: passport['validUntil'],
    agent: subject['id'],
    agentName: subject['agentName'],
    purpose: subject['purpose'],
    scopes: subject['scopes'],
    maxCalls: subject['maxCalls'],
    audience: subject['audience'],
    status: passport['credentialStatus'],
    proof: {
      cryptosuite: proof['cryptosuite'],
      verificationMethod: proof['verificationMethod'],
      created: proof['created'],
    },
    ...(isVp ? { presentationProof: input['proof'] } : {}),
  };
}

export async function run({ out }: VerbContext, file: string): Promise<void> {
  const summary = summarise(object(await readJsonInput(file)));
  out.data(summary);
  out.line('not verified: use `agent-passport verify` to check it');
  for (const [k, v] of Object.entries(summary))
    if (v !== undefined) out.line(`${k.padEnd(12)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}
