// SPDX-License-Identifier: Apache-2.0
// Signature-Input and Signature of a request, read into the fields a verifier checks: the compact
// shape this package sends by its own parser (sf-compact.ts), anything else by the general
// Structured Field parser, which decides every refusal. Limits come first, on the raw headers.
import type { ErrorCode } from '@agent-passport/core';
import type { Dictionary, InnerList } from 'structured-headers';
import type { FieldReader } from '../field-reader.js';
import { parseDictionary, serializeInnerList } from './sf.js';
import { compactSignatureFields, type SignatureFields } from './sf-compact.js';

/** Header bytes, components and parameters a verifier reads before authentication. */
export interface FieldLimits {
  readonly headerBytes: number;
  readonly components: number;
  readonly parameters: number;
}

export interface FieldsRefused {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
}

const refuse = (code: ErrorCode, message: string): FieldsRefused => ({ ok: false, code, message });

function parse(header: string | null, limits: FieldLimits): Dictionary | undefined | null | 'limit' {
  if (header === null) return undefined;
  if (header.length > limits.headerBytes) return 'limit';
  try {
    return parseDictionary(header);
  } catch {
    return null;
  }
}

/** The covered components, in order: plain strings, each once, at most `limits.components`. */
function coveredComponents(items: InnerList[0], limits: FieldLimits): string[] | FieldsRefused {
  if (items.length > limits.components)
    return refuse('ERR_SIG_LIMIT', `more than ${limits.components} components`);
  const seen = new Set<string>();
  for (const [item, itemParams] of items) {
    if (typeof item !== 'string' || itemParams.size > 0)
      return refuse('ERR_SIG_MALFORMED', 'component identifiers are plain strings');
    if (seen.has(item)) return refuse('ERR_SIG_MALFORMED', `${item} is covered twice`);
    seen.add(item);
  }
  return [...seen];
}

/** The general path: both headers parsed as dictionaries, then the label's members checked. */
export function generalSignatureFields(
  inputHeader: string | null,
  signatureHeader: string | null,
  wanted: string | undefined,
  limits: FieldLimits,
): SignatureFields | FieldsRefused {
  const inputs = parse(inputHeader, limits);
  const signatures = parse(signatureHeader, limits);
  if (inputs === 'limit' || signatures === 'limit')
    return refuse('ERR_SIG_LIMIT', `Signature-Input or Signature is longer than ${limits.headerBytes}`);
  if (inputs === undefined || signatures === undefined)
    return refuse('ERR_SIG_MISSING', 'no Signature-Input and Signature');
  if (inputs === null || signatures === null)
    return refuse('ERR_SIG_MALFORMED', 'Signature-Input or Signature is not a dictionary');
  let label = wanted;
  if (label === undefined) {
    if (inputs.size !== 1) return refuse('ERR_SIG_MALFORMED', 'several signatures and no label configured');
    label = inputs.keys().next().value as string;
  }
  const input = inputs.get(label);
  const sig = signatures.get(label);
  if (input === undefined || sig === undefined)
    return refuse('ERR_SIG_MISSING', `no signature labelled ${label}`);
  if (!Array.isArray(input[0]) || !(sig[0] instanceof ArrayBuffer))
    return refuse('ERR_SIG_MALFORMED', 'bad member types');
  const [items, params] = input as InnerList;
  if (params.size > limits.parameters)
    return refuse('ERR_SIG_LIMIT', `more than ${limits.parameters} parameters`);
  const components = coveredComponents(items, limits);
  if (!Array.isArray(components)) return components;
  const paramsValue = serializeInnerList(input as InnerList);
  return { label, components, params, paramsValue, signature: new Uint8Array(sig[0]) };
}

/** The fields of the request's signature (`wanted`: the configured label), or the refusal. */
export function signatureFields(
  headers: FieldReader,
  wanted: string | undefined,
  limits: FieldLimits,
): SignatureFields | FieldsRefused {
  const input = headers.get('signature-input');
  const signature = headers.get('signature');
  if (
    input !== null &&
    signature !== null &&
    input.length <= limits.headerBytes &&
    signature.length <= limits.headerBytes
  ) {
    const compact = compactSignatureFields(input, signature, wanted, limits);
    if (compact !== undefined) return compact;
  }
  return generalSignatureFields(input, signature, wanted, limits);
}
