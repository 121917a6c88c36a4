// SPDX-License-Identifier: Apache-2.0
// The AgentPassport JSON Schema (2020-12), compiled by Ajv in strict mode when the package is
// generated (scripts/generate.mjs): no schema compiler runs at load time.
import { deepFreeze } from '@agent-passport/core';
import { AGENT_PASSPORT_SCHEMA_JSON } from './generated.js';
import { validate as compiled } from './validate-generated.js';

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
const validate = compiled as unknown as Validate;

/** The schema `publish` serves as `/.well-known/agent-passport-schema.json`. */
export const AGENT_PASSPORT_SCHEMA: Readonly<Record<string, unknown>> = deepFreeze(
  structuredClone(AGENT_PASSPORT_SCHEMA_JSON),
);

export type SchemaResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: readonly { path: string; message: string }[] };

/** Validate a credential against the AgentPassport schema. */
export function validatePassportSchema(credential: unknown): SchemaResult {
  if (validate(credential)) return { ok: true };
  return {
    ok: false,
    errors: (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: e.message ?? 'invalid',
    })),
  };
}
