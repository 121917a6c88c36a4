// SPDX-License-Identifier: Apache-2.0
/**
 * The closed set of error codes. Codes are API: tests assert them, the CLI maps them to exit
 * codes, middleware to HTTP status. Add a code here (with its meaning) before using it anywhere.
 */
export const ERROR_CODES = {
  // did:key (W3C did:key v0.7 §3.1.3 resolution errors, refined)
  ERR_DID_INVALID: 'the string is not a syntactically valid DID of the expected method',
  ERR_DID_METHOD_UNSUPPORTED: 'the DID method is not one this resolver handles',
  ERR_MULTIBASE_PREFIX: 'the multibase value does not start with the expected prefix (z, base58btc)',
  ERR_MULTIBASE_DECODE: 'the multibase value is not valid base58btc',
  ERR_MULTICODEC_UNSUPPORTED: 'the multicodec header names a key type this toolkit does not accept',
  ERR_KEY_LENGTH: 'the public key has the wrong length for its codec',
  ERR_P256_NOT_ON_CURVE: 'the P-256 public key is not a valid point on the curve',
  ERR_ED25519_SMALL_ORDER: 'the Ed25519 public key is a point of small order',
  ERR_ED25519_NON_CANONICAL: 'the Ed25519 public key is not canonically encoded',
  ERR_ED25519_INVALID_POINT: 'the Ed25519 public key does not decode to a point on the curve',
  ERR_ED25519_TORSION: 'the Ed25519 public key has a small-order (torsion) component',
  ERR_VERIFICATION_METHOD_NOT_FOUND: 'the DID URL does not dereference to a verification method of the DID',
  // did:web (W3C CCG did:web §3.2)
  ERR_DID_WEB_INVALID: 'the did:web identifier cannot be mapped to a URL',
  ERR_DID_WEB_HOST_FORBIDDEN: 'the did:web host is loopback, private, link-local or an IP literal',
  ERR_FETCH_REDIRECT: 'the server answered with a redirect, which the resolver never follows',
  ERR_FETCH_TIMEOUT: 'the connection or the whole response took longer than allowed',
  ERR_FETCH_TOO_LARGE: 'the response body is larger than allowed',
  ERR_FETCH_STATUS: 'the server answered with a non-200 status',
  ERR_FETCH_FAILED: 'the request failed (DNS, connection, TLS)',
  ERR_DID_DOCUMENT_INVALID: 'the DID document is not valid JSON of the expected shape',
  ERR_DID_ID_MISMATCH: 'the DID document id is not the DID that was resolved',
  ERR_DID_CONTROLLER_MISMATCH: 'a verification method is not controlled by the DID',
  ERR_DID_NOT_FOUND: 'no document is known for the DID (offline mode: not pinned)',
  // strict JSON parsing of untrusted input
  ERR_PARSE_JSON: 'the input is not valid JSON',
  ERR_PARSE_SIZE: 'the input is larger than allowed',
  ERR_PARSE_DEPTH: 'the input is nested deeper than allowed',
  ERR_PARSE_DUPLICATE_KEY: 'an object in the input has the same key twice',
  ERR_PARSE_FORBIDDEN_KEY: 'an object in the input has a __proto__ or constructor key',
  ERR_PARSE_NUMBER: 'a number in the input cannot round-trip through JCS (beyond 2^53 or non-finite)',
  ERR_PARSE_STRING: 'a string in the input holds a lone surrogate',
  ERR_PARSE_TYPE: 'the input does not have the expected type',
  // contexts and document loading
  ERR_DOCUMENT_NOT_FOUND: 'the closed-world document loader does not know the URL',
  // AgentPassport schema and VCDM 2.0 rules
  ERR_VCDM_INVALID:
    'the document breaks a VCDM 2.0 rule (context, type, ids, issuer, subject, dates, typed entries)',
  ERR_VCDM_RELATED_RESOURCE:
    'relatedResource is not one or more objects, each with a unique id and a digestSRI or digestMultibase',
  ERR_VCDM_DIGEST_MISMATCH:
    'a relatedResource digest does not match the resource the verifier holds (a bundled context: its published bytes)',
  ERR_VCDM_LANGUAGE_VALUE:
    'a name or description value object has a key other than @value, @language, @direction, or a value of the wrong type',
  ERR_VCDM_UNDEFINED_TERM:
    'a property is defined by no context of the document (what JSON-LD safe mode refuses; checked when every context is known)',
  ERR_ENVELOPE_INVALID:
    'an enveloped credential is not a data: URL of an application/vc+jwt compact JWS with an accepted alg, a DID URL kid and a credential payload',
  ERR_SCHEMA_INVALID: 'the credential does not match the AgentPassport JSON Schema',
  ERR_SCOPE_INVALID: 'a scope does not follow the grammar action:resource',
  // Data Integrity proofs (suites) and the verifier's ordered checks (docs/architecture.md)
  ERR_PROOF_CREATE: 'the proof could not be created',
  ERR_PROOF_MISSING: 'the document has no proof',
  ERR_PROOF_MALFORMED: 'the proof is not a single well-formed Data Integrity proof',
  ERR_PROOF_PREVIOUS_MISSING:
    "a proof's previousProof names no other proof of the set (a broken proof chain, Data Integrity §4.5)",
  ERR_PROOF_SIGNER_ABSENT:
    'no proof of the set is by the issuer (or, for a presentation, the holder): other proofs only add to it',
  ERR_PROOF_TYPE: 'the proof type is not DataIntegrityProof',
  ERR_CRYPTOSUITE_UNSUPPORTED: 'the cryptosuite is not on the allowlist',
  ERR_SUITE_KEY_MISMATCH:
    "the verification method's key is not of the cryptosuite's key type (eddsa-*: Ed25519, ecdsa-*: P-256)",
  ERR_PROOF_PURPOSE: 'the proof purpose is not the one required here',
  ERR_PROOF_INVALID: 'the proof signature does not verify',
  ERR_RDFC_LIMIT:
    'the document is too costly to canonicalise with RDFC-1.0 (too many JSON values or blank nodes, or over the work budget or CPU deadline)',
  ERR_PROOF_CREATED: 'the proof creation time is malformed or in the future',
  ERR_ISSUER_UNTRUSTED: 'the issuer is not in the trust configuration',
  ERR_ISSUER_KEY: "the verification method is not the controller's, under the required relationship",
  ERR_DATE_INVALID: 'a date is not an RFC 3339 date-time with an explicit offset',
  ERR_NOT_YET_VALID: 'the credential is not valid yet (validFrom is in the future)',
  ERR_EXPIRED: 'the credential has expired (validUntil is in the past)',
  ERR_VALIDITY_WINDOW: 'validUntil is not after validFrom',
  ERR_PRESENTATION_INVALID: 'the presentation is not a VerifiablePresentation holding exactly one credential',
  ERR_HOLDER_MISMATCH: 'the presentation or request is not signed by the passport subject',
  ERR_CHALLENGE_MISMATCH: 'the proof challenge is missing or not the one the verifier issued',
  ERR_DOMAIN_MISMATCH: "the proof domain is missing or not the verifier's",
  ERR_PURPOSE_DENIED: 'the passport purpose is not one the verifier accepts',
  ERR_SCOPE_DENIED: 'the passport does not grant a scope the caller requires',
  ERR_NOT_PASSPORT: 'the credential is not an AgentPassport',
  ERR_AUDIENCE_DENIED: 'the passport has an audience that does not include this service',
  ERR_STATUS_UNAVAILABLE:
    'the passport has a status entry and no status list for it is available (fail closed)',
  ERR_REVOKED: 'the passport is revoked (its bit is set in the issuer revocation list)',
  ERR_SUSPENDED: 'the passport is suspended (its bit is set in the issuer suspension list)',
  ERR_STATUS_LIST_INVALID:
    'a status list credential is malformed (type, purpose, encoding, length, id) or the entry is not supported',
  ERR_STATUS_LIST_UNSIGNED:
    "a status list credential is unsigned or not validly signed by the passport's issuer",
  ERR_STATUS_STALE: 'the status list is older than the freshness policy allows, or past its validUntil',
  ERR_STATUS_INDEX_RANGE: 'the status index is beyond the end of the status list',
  ERR_STATUS_VALUE_INVALID:
    'a status value set is outside the 2^statusSize values of its entry, or the credential has no entry of that purpose',
  ERR_KEY_RETIRED: 'the proof was made after the issuer retired the key (the key history says so)',
  ERR_KEY_COMPROMISED: 'the proof was made at or after the time the issuer declared the key compromised',
  ERR_VERIFIER_INTERNAL: 'the verifier failed unexpectedly; the input is refused',
  // key store
  ERR_KEYSTORE_PASSPHRASE: 'the passphrase does not open this key file',
  ERR_KEYSTORE_TAMPERED: 'the key file was altered or corrupted: it does not authenticate',
  ERR_KEYSTORE_VERSION: 'the key file format version is not supported',
  ERR_KEYSTORE_FORMAT: 'the key file is not a key file (not JSON, missing fields, wrong lengths)',
  ERR_KEYSTORE_KDF_PARAMS: 'the key file asks for KDF parameters outside the accepted floors and caps',
  ERR_KEYSTORE_NOT_FOUND: 'no key with that label in the key store',
  ERR_KEYSTORE_EXISTS: 'a key with that label exists already (refusing to overwrite)',
  ERR_KEYSTORE_PASSPHRASE_MISSING:
    'no passphrase: set the environment variable or run on a terminal to be prompted',
  ERR_KEYSTORE_PASSPHRASE_WEAK: 'a new passphrase must be at least 8 characters',
  ERR_KEYSTORE_PASSPHRASE_MISMATCH: 'the passphrase and its confirmation differ',
  // HTTP message signatures (RFC 9421), content digests (RFC 9530), shared stores
  ERR_SIG_MISSING: 'the request carries no Signature-Input / Signature for the expected label',
  ERR_SIG_MALFORMED:
    'Signature-Input or Signature is not a valid structured field, or the label is ambiguous',
  ERR_SIG_COMPONENT_MISSING:
    'a required component is not covered by the signature, or is absent from the request',
  ERR_SIG_CREATED_MISSING: 'the signature has no created parameter',
  ERR_SIG_EXPIRED: 'the signature has expired, or is older than allowed',
  ERR_SIG_NOT_YET_VALID: 'the signature was created in the future beyond the allowed skew',
  ERR_SIG_NONCE_MISSING: 'the signature has no nonce',
  ERR_SIG_TAG: 'the signature tag is not the one this verifier expects',
  ERR_SIG_ALG: 'the signature alg parameter names an algorithm other than ed25519',
  ERR_SIG_KEY_UNKNOWN: 'the signature keyid does not resolve to a key',
  ERR_SIG_INVALID: 'the request signature does not verify',
  ERR_DIGEST_MISSING: 'the request has a body and no Content-Digest',
  ERR_DIGEST_UNSUPPORTED: 'Content-Digest offers no sha-256 or sha-512 digest',
  ERR_DIGEST_MISMATCH: 'Content-Digest does not match the body received',
  ERR_SIG_LIMIT:
    'Signature-Input or Signature is longer, or has more components or parameters, than a verifier reads',
  // the edge where requests meet frameworks (middleware adapters)
  ERR_REQUEST_TARGET:
    'the request target is not in normal form (absolute form, dot segments, encoded dots, slashes or unreserved characters, backslashes, empty segments): refused, never rewritten',
  ERR_BODY_TOO_LARGE: 'the request body is larger than the verifier reads (maxBodyBytes)',
  ERR_BODY_CONSUMED:
    'something before the verifier (a body parser) consumed the request body: its digest cannot be checked',
  ERR_STORE_UNAVAILABLE:
    'the shared store (replay, usage) cannot be reached: the request is refused (fail closed)',
  ERR_STORE_FULL: 'the in-memory store is full of unexpired entries: the request is refused (fail closed)',
  ERR_STORE_NOT_DURABLE:
    'the Redis store can forget nonces and counters (no AOF persistence, or it evicts keys): refused unless allowNonDurableRedis',
  ERR_STORE_RESTARTED:
    'the replay store restarted or lost data after this request was signed (its nonce may be lost): sign a new request',
  // verifyRequest
  ERR_PASSPORT_MISSING: 'the request carries neither a passport nor a passport reference',
  ERR_PASSPORT_UNKNOWN: 'the passport reference is not in this verifier cache: send the passport itself',
  ERR_PASSPORT_REF_MISMATCH: 'the passport reference does not match the passport sent with it',
  ERR_REPLAY: 'this request nonce was seen before',
  ERR_USAGE_EXCEEDED: 'the passport maxCalls limit is reached',
  // issuer state (status list indices, issued passports)
  ERR_STATE_LOCKED:
    'the issuer state is locked by another process for longer than allowed, or its lock was lost during an update (nothing saved)',
  ERR_STATE_CORRUPT: 'the issuer state file is not a valid state (edited or damaged)',
  ERR_PASSPORT_NOT_FOUND: 'no passport with that id (or for that agent) in the issuer state',
  // trust bundles
  ERR_BUNDLE_INVALID: 'the trust bundle is malformed (shape, issuer documents, status lists, schema)',
  ERR_BUNDLE_SIGNATURE: 'the trust bundle is unsigned, tampered with, or not signed by the pinned author',
  ERR_BUNDLE_EXPIRED: 'the trust bundle has expired (or is not valid yet)',
  // A2A Agent Cards
  ERR_CARD_UNSIGNED: 'the A2A Agent Card carries no signature',
  ERR_CARD_SIGNATURE:
    'an A2A Agent Card signature is malformed, not made with a did:key, or does not verify over the card',
  ERR_CARD_PASSPORT_MISSING:
    'the A2A Agent Card declares no passport extension, or it holds neither a passport nor a URL with a digest',
  // delegation chains (AgentDelegation: an agent hands a narrower part of its passport to a sub-agent)
  ERR_DELEGATION_INVALID:
    'a delegation credential or chain is malformed (shape, VCDM 2.0 rules, AgentDelegation schema, empty or too long a chain)',
  ERR_DELEGATION_NOT_ALLOWED: 'the passport at the root of the chain does not allow delegation',
  ERR_DELEGATION_SIGNER:
    "a delegation link is not signed with the key of its parent's subject (the issuer field alone proves nothing)",
  ERR_DELEGATION_PARENT_MISMATCH:
    'a delegation link does not name the credential before it in the chain (its id or the digest of its signed form)',
  ERR_DELEGATION_SCOPE_WIDENED:
    "a delegated scope is not provably within the parent's scopes (wildcards narrow only to their own prefix)",
  ERR_DELEGATION_WINDOW:
    "a delegation link's validity is not inside its parent's window (refused, never clamped)",
  ERR_DELEGATION_DEPTH: "the chain is deeper than an ancestor's maxDepth or the verifier's cap",
  ERR_DELEGATION_LOOP: 'a DID or a credential id appears twice in the delegation chain',
  ERR_DELEGATION_AUDIENCE:
    'this service is not in the audience of a delegation link, or a link that may be delegated again names no audience',
  ERR_DELEGATION_MAX_CALLS:
    'a delegation link allows more calls than its parent (or any calls when the parent counts them)',
  ERR_DELEGATION_UNKNOWN:
    'the delegation chain reference is not in this verifier cache: send the chain itself',
  // evidence log and audit
  ERR_EVIDENCE_UNAVAILABLE:
    'the evidence log cannot record the call (disk, permissions): the call is refused (fail closed)',
  ERR_EVIDENCE_LINE: 'a line of the evidence log is not a log entry (garbage, cut short, not strict JSON)',
  ERR_EVIDENCE_HASH: 'an evidence entry does not match its own hash: it was edited',
  ERR_EVIDENCE_CHAIN:
    'an evidence entry does not follow the one before it (deleted, reordered or inserted entries)',
  ERR_EVIDENCE_TRUNCATED:
    'the evidence log ends before its recorded head, or does not start at its beginning',
  ERR_EVIDENCE_PASSPORT_MISSING: 'an evidence entry refers to a passport the log does not hold',
  ERR_EVIDENCE_BODY: 'the recorded request body does not match the content digest the agent signed',
  ERR_EVIDENCE_FIELD:
    'a stored field of an evidence entry (agent, name, issuer, passport id) disagrees with what re-verifying it establishes',
  ERR_EVIDENCE_LOCKED:
    'another live process is writing this evidence log, or has taken its lock from this writer (one writer per log)',
  // CLI
  ERR_ORG_MISSING: 'this home has no organisation identity yet (agent-passport org init)',
  ERR_ORG_EXISTS: 'this home already has an organisation identity',
  ERR_USAGE:
    'the command line is not one the CLI takes (unknown verb or option, missing or conflicting arguments)',
  ERR_FILE_NOT_FOUND: 'a file or folder named on the command line does not exist',
  ERR_FILE_UNREADABLE: 'a file named on the command line cannot be read (a folder, no permission)',
  ERR_AUDIT_ENTRY_NOT_FOUND: 'the evidence log has no entry with the number asked for',
  ERR_CLI_INTERNAL: 'the command failed unexpectedly (a defect, or the system refused an operation)',
  // MCP gate (2026-07-28 streamable HTTP)
  ERR_MCP_MESSAGE:
    'the MCP body is not one JSON-RPC request or notification the gate can check (batch, response, call sent as a notification)',
  ERR_MCP_HEADER_MISMATCH: 'the Mcp-Method or Mcp-Name header is missing or differs from the JSON-RPC body',
  ERR_MCP_UNMAPPED: 'the tool, resource, prompt or method is not in the gate map (refused by default)',
  // MCP OAuth door (RFC 8693 token exchange, RFC 8707 resource indicators, RFC 9068 JWT access tokens)
  ERR_TOKEN_REQUEST:
    'the token request is malformed, or asks for a token this server does not mint (grant, token type, a passport with maxCalls)',
  ERR_TOKEN_INVALID:
    'the access token is malformed, not signed by this authorization server, or not an access token',
  ERR_TOKEN_EXPIRED: 'the access token has expired',
  ERR_TOKEN_AUDIENCE: 'the access token (or the token request) is for another resource',
  // VC API server (W3C VC API: issue, verify, status)
  ERR_API_REQUEST:
    'the request body is not the shape the endpoint takes (a JSON object with the named members)',
  ERR_API_MEDIA_TYPE: 'the request body is not sent as application/json',
  ERR_API_TOO_LARGE: 'the request body is larger than the server accepts',
  ERR_API_UNAUTHORIZED: 'the endpoint needs a valid bearer token',
  ERR_API_NOT_FOUND: 'no such endpoint or published file',
  ERR_API_METHOD: 'the endpoint does not take this HTTP method',
  ERR_API_INTERNAL: 'the server failed unexpectedly; nothing was issued or changed',
  ERR_ISSUER_MISMATCH: 'the credential names an issuer other than the one this server issues as',
  // RFC 9421 §2.4 signed responses (mutual authentication: the service proves itself first)
  ERR_RESPONSE_UNSIGNED: 'the response carries no signature: a service that cannot prove itself gets nothing',
  ERR_RESPONSE_MALFORMED:
    'the response Signature-Input or Signature is malformed or lacks a required parameter',
  ERR_RESPONSE_NOT_BOUND:
    "the response signature does not cover the agent's request (its signature and signature input, ;req) or predates it",
  ERR_RESPONSE_SIGNER: 'the response is not signed by an authentication key of the expected service DID',
  ERR_RESPONSE_SIGNATURE_INVALID: 'the response signature does not verify over the response and the request',
  ERR_RESPONSE_EXPIRED: 'the response signature is too old, expired, or dated in the future',
  // headless login (W3C VCALM workflows and exchanges)
  ERR_LOGIN_EXCHANGE_UNKNOWN: 'the login exchange id is not one this site created (forged, or another site)',
  ERR_LOGIN_EXCHANGE_EXPIRED: 'the login exchange has expired: create a new one',
  ERR_LOGIN_CHALLENGE_USED:
    'the challenge of this login exchange was already used (a replay, here or on another instance)',
  ERR_LOGIN_REQUEST_INVALID:
    'the site asked for something other than a presentation request over a challenge and a domain: the agent signs nothing',
  ERR_LOGIN_REFUSED: 'the site refused the login or the session call (its own code is in the message)',
  ERR_LOGIN_SESSION_MISSING: 'the request carries no session reference covered by its signature',
  ERR_LOGIN_SESSION_UNKNOWN: 'no such login session on this site',
  ERR_LOGIN_SESSION_EXPIRED: 'the login session has expired',
  ERR_LOGIN_SESSION_REVOKED: 'the login session was revoked',
  ERR_LOGIN_SESSION_KEY: 'the login session is used by a key or passport other than the one it is bound to',
  ERR_LOGIN_POW_REQUIRED: 'the site asks this (unknown) agent for a proof of work and none was sent',
  ERR_LOGIN_POW_INSUFFICIENT: 'the proof of work is below the difficulty the site asked for',
  ERR_LOGIN_POW_TOO_HARD: "the site asks for a proof of work above the agent's cap: the agent refuses",
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every known code, in declaration order. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.keys(ERROR_CODES) as ErrorCode[]);

/** Is `value` one of the known codes? */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The one error class of the toolkit. `code` is stable API; `message` is for people and may change;
 * `cause` keeps the underlying error when there is one.
 */
export class PassportError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> },
  ) {
    super(message ?? ERROR_CODES[code], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PassportError';
    this.code = code;
    this.details = options?.details;
  }

  /** A plain, JSON-safe view: no stack, no cause chain. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Narrow an unknown value to a PassportError, optionally with a given code. */
export function isPassportError(value: unknown, code?: ErrorCode): value is PassportError {
  return value instanceof PassportError && (code === undefined || value.code === code);
}
