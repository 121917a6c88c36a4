// SPDX-License-Identifier: Apache-2.0
// The AgentDelegation JSON Schema (2020-12), compiled by Ajv in strict mode when the package is
// generated (scripts/generate.mjs), like the AgentPassport schema.
import { AGENT_DELEGATION_SCHEMA_JSON } from './delegation-generated.js';
import type { SchemaResult } from './passport-schema.js';
import { validate as compiled } from './validate-delegation-generated.js';

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
const validate = compiled as unknown as Validate;

/** The AgentDelegation schema (a frozen copy of /schemas/agent-delegation.schema.json). */
export const AGENT_DELEGATION_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze(
  structuredClone(AGENT_DELEGATION_SCHEMA_JSON),
);

/** Validate a credential against the AgentDelegation schema. */
export function validateDelegationSchema(credential: unknown): SchemaResult {
  if (validate(credential)) return { ok: true };
  return {
    ok: false,
    errors: (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: e.message ?? 'invalid',
    })),
  };
}
