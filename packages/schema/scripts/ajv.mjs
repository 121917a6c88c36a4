// SPDX-License-Identifier: Apache-2.0
// The Ajv instance the schemas are compiled with: by scripts/generate.mjs into standalone code, and
// at run time by the test that compares the generated validators with Ajv's own compilation.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

/** The options the schemas were always compiled with: strict, first error only. */
export function createAjv(extra = {}) {
  const ajv = new Ajv2020({
    strict: true,
    strictTuples: false,
    allErrors: false,
    allowUnionTypes: true,
    ...extra,
  });
  addFormats(ajv, ['date-time']);
  return ajv;
}
