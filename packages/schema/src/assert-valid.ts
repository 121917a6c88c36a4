// SPDX-License-Identifier: Apache-2.0
// The VCDM 2.0 rules and the AgentPassport schema, turned into one error: what an issuer applies
// before signing, the verifier before trusting, and the VC API before either.
import { type ErrorCode, isObject, PassportError } from '@agent-passport/core';
import { validatePassportSchema } from './passport-schema.js';
import { checkVcdm, checkVcdm2, type Vcdm2Options } from './vcdm2.js';

export interface AssertPassportOptions extends Vcdm2Options {
  /**
   * The data models accepted: `2.0` (the default; AgentPassports are 2.0 only) or `any` (2.0 and
   * 1.1, each by its first context: the VC API verifies and issues other credentials too).
   */
  readonly dataModels?: '2.0' | 'any';
  /** The VCDM rules already ran on this credential (inside a checked presentation): skip them. */
  readonly vcdmChecked?: boolean;
  /**
   * A credential that is not an AgentPassport: `refuse` (ERR_NOT_PASSPORT, the default) or `skip`
   * the schema (a VC API verifies any credential and applies the schema to passports only).
   */
  readonly otherTypes?: 'refuse' | 'skip';
  /** The code for a schema violation in `scopes` (the issuer's ERR_SCOPE_INVALID); default ERR_SCHEMA_INVALID. */
  readonly scopeCode?: ErrorCode;
}

/**
 * Throw a PassportError unless `credential` follows the VCDM rules (ERR_VCDM_INVALID, or the rule's
 * own code: ERR_VCDM_RELATED_RESOURCE, ERR_VCDM_LANGUAGE_VALUE, ERR_VCDM_UNDEFINED_TERM…), is an
 * AgentPassport (ERR_NOT_PASSPORT) and matches its schema (ERR_SCHEMA_INVALID, with every
 * violation in `details.errors`).
 */
export function assertPassportValid(credential: unknown, options: AssertPassportOptions = {}): void {
  if (options.vcdmChecked !== true) {
    const vcdm =
      options.dataModels === 'any' ? checkVcdm(credential, options) : checkVcdm2(credential, options);
    if (!vcdm.ok) throw new PassportError(vcdm.code, `${vcdm.path}: ${vcdm.message}`);
  }
  const types = isObject(credential) ? credential['type'] : undefined;
  if (!Array.isArray(types) || !types.includes('AgentPassport')) {
    if (options.otherTypes === 'skip') return;
    throw new PassportError('ERR_NOT_PASSPORT', 'type must include AgentPassport');
  }
  const schema = validatePassportSchema(credential);
  if (schema.ok) return;
  const scopes = options.scopeCode !== undefined && schema.errors.some((e) => e.path.includes('scopes'));
  throw new PassportError(
    scopes && options.scopeCode !== undefined ? options.scopeCode : 'ERR_SCHEMA_INVALID',
    schema.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ') || 'schema violation',
    { details: { errors: schema.errors } },
  );
}
