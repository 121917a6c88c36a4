// SPDX-License-Identifier: Apache-2.0
// Types of scripts/ajv.mjs for the tests that import it.
import type Ajv2020 from 'ajv/dist/2020.js';

export function createAjv(extra?: Record<string, unknown>): Ajv2020;
