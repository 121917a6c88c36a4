// SPDX-License-Identifier: Apache-2.0

export type { AgentFetchOptions } from './agent.js';
export { createAgentFetch, firstContactFetch } from './agent.js';

export type { FieldReader, MessageParts, SignatureParams } from './base.js';
export { componentValue, serializeSignatureParams, signatureBase } from './base.js';
export type { BodyRead } from './body.js';
export {
  bodyTooLarge,
  checkBody,
  DEFAULT_MAX_BODY_BYTES,
  declaredTooLarge,
  declaresBody,
  readBody,
} from './body.js';
export { checkContentDigest, contentDigest } from './digest.js';
export * from './entry-stores.js';
export type { CarriedHeaders, PassportHeaderRead } from './passport-ref.js';
export {
  credentialComponents,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  isPassportRef,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  readPassportHeader,
} from './passport-ref.js';
export type { DurabilityOptions } from './redis-durability.js';
export type { ResponseComponent } from './response-base.js';
export { defaultResponseComponents, RESPONSE_TAG } from './response-base.js';
export type { SignResponseOptions } from './response-sign.js';
export { signResponse } from './response-sign.js';
export type { ResponseVerification, VerifyResponseOptions } from './response-verify.js';
export { verifyResponseSignature } from './response-verify.js';
export type { RawSigner, SignRequestOptions } from './sign.js';
export { createSigningFetch, signRequest } from './sign.js';
export { usageKey } from './usage-key.js';
export type { SignatureVerification, VerifySignatureOptions } from './verify.js';
export { SIGNATURE_LIMITS, verifyRequestSignature, verifySignatureHeaders } from './verify.js';
export { type RecordedRequest, type VerifyRecordedOptions, verifyRecordedSignature } from './verify-parts.js';
export type { WebBotAuthOptions } from './web-bot-auth.js';
export {
  jwkThumbprint,
  KEY_DIRECTORY_MEDIA_TYPE,
  KEY_DIRECTORY_PATH,
  signWebBotAuth,
  webBotAuthDirectory,
} from './web-bot-auth.js';
