// SPDX-License-Identifier: Apache-2.0
// The shape of a VC API request body: `{<document>, options?}`.
import { isObject, type JsonObject } from '@agent-passport/core';
import { apiError } from '../errors.js';

/** The document under `key` and the options object; ERR_API_REQUEST for any other shape. */
export function requestOf(
  body: unknown,
  key: string,
  rest = 'options',
): { document: JsonObject; options: JsonObject } {
  if (!isObject(body) || !isObject(body[key]))
    throw apiError('ERR_API_REQUEST', `the body must be {${key}, ${rest}}`);
  const options = body['options'] ?? {};
  if (!isObject(options)) throw apiError('ERR_API_REQUEST', 'options must be an object');
  return { document: body[key], options };
}

/**
 * VC API `options.checks`: the data model, proof and validity always run; status runs unless the
 * caller lists checks without `credentialStatus` (then a warning says it was not checked).
 */
export function statusAsked(options: JsonObject): boolean {
  const checks = options['checks'];
  if (checks === undefined) return true;
  if (!Array.isArray(checks) || checks.some((c) => typeof c !== 'string'))
    throw apiError('ERR_API_REQUEST', 'options.checks must be a list of strings');
  return checks.includes('credentialStatus');
}
