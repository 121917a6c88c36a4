// SPDX-License-Identifier: Apache-2.0
// The AgentPassport JSON Schema (2020-12), compiled once with Ajv in strict mode.
import { deepFreeze } from '@agent-passport/core';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AGENT_PASSPORT_SCHEMA_JSON } from './generated.js';

// Both packages are CommonJS whose typings describe the ES default; take whichever the loader gave.
type AjvCtor = new (
  options: Record<string, unknown>,
) => {
  compile(
    schema: unknown,
  ): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
};
const interop = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
const Ajv2020 = interop<AjvCtor>(Ajv2020Module);
const addFormats = interop<(ajv: unknown, formats?: string[]) => void>(addFormatsModule);

/** The schema `publish` serves as `/.well-known/agent-passport-schema.json`. */
export const AGENT_PASSPORT_SCHEMA: Readonly<Record<string, unknown>> = deepFreeze(
  structuredClone(AGENT_PASSPORT_SCHEMA_JSON),
);

const ajv = new Ajv2020({ strict: true, strictTuples: false, allErrors: false, allowUnionTypes: true });
addFormats(ajv, ['date-time']);
const validate = ajv.compile(AGENT_PASSPORT_SCHEMA_JSON);

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
