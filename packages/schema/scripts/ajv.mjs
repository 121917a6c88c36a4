// SPDX-License-Identifier: Apache-2.0
// The Ajv instance the schemas are compiled with: by scripts/generate.mjs into standalone code, and
// at run time by the test that compares the generated validators with Ajv's own compilation. The
// `date-time` format is src/internal/date-time-format.ts (ajv-formats' full `date-time` verdict,
// reached faster; its own test compares the two): read from the built package, so build first.
import { createRequire } from 'node:module';
import formats from '../dist/internal/date-time-format.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const { _ } = require('ajv');

/** The options the schemas were always compiled with: strict, first error only. */
export function createAjv(extra = {}) {
  const ajv = new Ajv2020({
    strict: true,
    strictTuples: false,
    allErrors: false,
    allowUnionTypes: true,
    ...extra,
    // Standalone code takes the format from the module that defines it (path from src/).
    code: { ...extra.code, formats: _`require("./internal/date-time-format").default` },
  });
  ajv.addFormat('date-time', formats['date-time']);
  return ajv;
}
