// SPDX-License-Identifier: Apache-2.0
import type { ErrorCode } from './errors.js';

/** Any DID (W3C DID Core §3.1). */
export type Did = `did:${string}:${string}`;
/** A did:key DID; the method-specific id is a base58btc multibase value. */
export type DidKey = `did:key:z${string}`;
/** A did:web DID. */
export type DidWeb = `did:web:${string}`;
/** A DID URL naming a verification method, e.g. `did:key:z6Mk…#z6Mk…`. */
export type DidUrl = `did:${string}#${string}`;

/** Key types the toolkit accepts. */
export type KeyType = 'Ed25519' | 'P-256';

/** A Multikey verification method (Controlled Identifiers v1.0 §2.2.2). */
export interface MultikeyVerificationMethod {
  readonly id: string;
  readonly type: 'Multikey';
  readonly controller: string;
  readonly publicKeyMultibase: string;
  /** Key history: proofs made after this time are refused (the key was retired, not compromised). */
  readonly retired?: string;
  /** Key history (CID 1.0 `revoked`): the key is compromised as of this time. */
  readonly revoked?: string;
  readonly [extra: string]: unknown;
}

/** A DID document as the toolkit produces and consumes it (W3C DID Core §5). */
export interface DidDocument {
  readonly '@context'?: string | readonly unknown[];
  readonly id: string;
  readonly controller?: string | readonly string[];
  readonly verificationMethod?: readonly MultikeyVerificationMethod[];
  readonly authentication?: readonly (string | MultikeyVerificationMethod)[];
  readonly assertionMethod?: readonly (string | MultikeyVerificationMethod)[];
  readonly capabilityInvocation?: readonly (string | MultikeyVerificationMethod)[];
  readonly capabilityDelegation?: readonly (string | MultikeyVerificationMethod)[];
  readonly [extra: string]: unknown;
}

/** The ecosystem's signer shape (digitalbazaar `{id, algorithm, sign}`). */
export interface Signer {
  /** The verification method URL of the key. */
  readonly id: string;
  readonly algorithm: 'Ed25519' | 'P-256';
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

/** The ecosystem's verifier shape (digitalbazaar `{id, algorithm, verify}`). */
export interface Verifier {
  readonly id: string;
  readonly algorithm: 'Ed25519' | 'P-256';
  verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
}

/** What a JSON-LD document loader returns (jsonld.js `RemoteDocument`). */
export interface RemoteDocument {
  readonly contextUrl: string | null;
  readonly documentUrl: string;
  readonly document: unknown;
}

/** A JSON-LD document loader: closed-world by default in this toolkit. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** A clock, injected everywhere time matters. */
export type Clock = () => Date;

/** One verification check, in the order of docs/architecture.md. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly code?: ErrorCode;
  readonly message?: string;
  /** Not run, because an earlier check failed and this one depends on it. */
  readonly skipped?: boolean;
}

/** What every verifier returns: it never throws on untrusted input. */
export interface VerificationResult {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
}

/** Optional delegation rights of a passport (may it issue sub-passports, how deep). */
export interface DelegationClaim {
  readonly allowed: boolean;
  readonly maxDepth?: number;
}

/** The claims about the agent (`credentialSubject`) of an AgentPassport. */
export interface PassportSubject {
  readonly id: DidKey;
  readonly agentName: string;
  readonly purpose: string;
  readonly scopes: readonly string[];
  readonly maxCalls?: number;
  readonly audience?: readonly string[];
  readonly delegation?: DelegationClaim;
  readonly constraints?: Readonly<Record<string, unknown>>;
}

/** A Data Integrity proof as it appears on a secured document. */
export interface DataIntegrityProof {
  readonly type: 'DataIntegrityProof';
  readonly cryptosuite: string;
  readonly proofPurpose: string;
  readonly verificationMethod: string;
  readonly created?: string;
  readonly challenge?: string;
  readonly domain?: string;
  readonly proofValue: string;
  readonly '@context'?: unknown;
}

/** A Bitstring Status List entry (Bitstring Status List v1.0 §2.1). */
export interface StatusListEntry {
  readonly id?: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: string;
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

/** An AgentPassport: a VCDM 2.0 credential whose subject is the agent's did:key. */
export interface AgentPassport {
  readonly '@context': readonly string[];
  readonly id: string;
  readonly type: readonly string[];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly credentialSubject: PassportSubject;
  readonly credentialSchema?: { readonly id: string; readonly type: string };
  readonly credentialStatus?: StatusListEntry | readonly StatusListEntry[];
  readonly proof: DataIntegrityProof;
}

/** A VerifiablePresentation carrying one passport, signed by the agent. */
export interface PassportPresentation {
  readonly '@context': readonly string[];
  readonly type: readonly string[];
  readonly holder: string;
  readonly verifiableCredential: readonly AgentPassport[];
  readonly proof: DataIntegrityProof;
}

/** What a status checker learns from the verifier besides the passport. */
export interface StatusContext {
  /** The issuer's DID document, as the issuer-key check resolved it (with its key history). */
  readonly issuerDocument: DidDocument;
}

/**
 * Status hook of the verifier (Bitstring Status List): resolves when every status entry of the
 * passport allows it, throws a PassportError (ERR_REVOKED, ERR_STATUS_STALE, …) otherwise.
 */
export type StatusChecker = (
  passport: AgentPassport,
  now: Date,
  context: StatusContext,
) => Promise<void> | void;
