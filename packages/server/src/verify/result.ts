// SPDX-License-Identifier: Apache-2.0
// The VC API verification result, and the context one verification request runs in.
import {
  type CheckStep,
  type DidDocument,
  type DocumentLoader,
  type ErrorCode,
  type JsonObject,
  runChecks,
} from '@agent-passport/core';
import type { StatusResult } from '@agent-passport/status';
import type { CryptosuiteName, RdfcBudget } from '@agent-passport/suites';

/** One reason a document was refused, in the VC API's `errors` list. */
export interface ApiProblem {
  readonly code: ErrorCode;
  readonly message: string;
  /** The check that failed (one of `checks`). */
  readonly check: string;
}

/** The VC API verification result: `checks` lists what ran, in order. */
export interface VerificationResult {
  readonly verified: boolean;
  readonly checks: readonly string[];
  readonly warnings: readonly ApiProblem[];
  readonly errors: readonly ApiProblem[];
  /** A verified delegated presentation: organisation → agent → … → the presenting sub-agent. */
  readonly principals?: readonly string[];
  /** A verified delegated presentation: the scopes the presenting sub-agent holds. */
  readonly scopes?: readonly string[];
  /** What each status entry says when status was checked: purpose, value and (message lists) message. */
  readonly statusResults?: readonly StatusResult[];
}

/** The result, with what the status entries said when they were read. */
export const withStatus = (
  result: VerificationResult,
  status: readonly StatusResult[] | undefined,
): VerificationResult => (status === undefined ? result : { ...result, statusResults: status });

export interface VerifyContext {
  readonly now: Date;
  readonly skewMs: number;
  readonly documentLoader: DocumentLoader;
  /** The contexts the loader knows beyond the bundled ones (the data model checks terms against them). */
  readonly contexts?: Readonly<Record<string, unknown>>;
  readonly cryptosuites: readonly CryptosuiteName[];
  /** The request's RDFC-1.0 budget, shared by every eddsa-rdfc-2022 proof it verifies. */
  readonly rdfcBudget: RdfcBudget;
  /** The controller document of a DID (issuer or holder); throws a PassportError when unknown. */
  readonly resolve: (did: string) => Promise<DidDocument>;
  /** When set, only credentials from these issuers verify (ERR_ISSUER_UNTRUSTED otherwise). */
  readonly trustedIssuers?: ReadonlySet<string>;
  /** Check `credentialStatus` (the caller may leave it out through VC API `options.checks`). */
  readonly statusAsked: boolean;
  /**
   * Status of a credential with `credentialStatus`: what each entry says (a `message` value among
   * them); throws a PassportError when it is not good.
   */
  readonly checkStatus: (
    credential: JsonObject,
    issuerDocument: DidDocument,
  ) => Promise<readonly StatusResult[]>;
}

/** A presentation's binding: the challenge and domain asked for. */
export interface Binding {
  challenge?: string;
  domain?: string;
}

/**
 * The toolkit's ordered-checks runner, reported the VC API way: `checks` names the checks that
 * ran (up to the first failure), `errors` that failure with its check.
 */
export async function runSteps(
  steps: readonly CheckStep<string>[],
  warnings: readonly ApiProblem[] = [],
): Promise<VerificationResult> {
  const { checks } = await runChecks(steps);
  const ran = checks.filter((c) => c.skipped !== true);
  const failed = ran.find((c) => !c.ok);
  const errors: ApiProblem[] =
    failed === undefined
      ? []
      : [{ code: failed.code ?? 'ERR_VERIFIER_INTERNAL', message: failed.message ?? '', check: failed.name }];
  return { verified: failed === undefined, checks: ran.map((c) => c.name), warnings, errors };
}
