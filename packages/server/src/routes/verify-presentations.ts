// SPDX-License-Identifier: Apache-2.0
// POST /presentations/verify {verifiablePresentation, options?: {challenge?, domain?, checks?}}:
// 200 with a verified result, 400 with the failed one.
import type { JsonObject } from '@agent-passport/core';
import type { Handler } from 'hono';
import { apiError } from '../errors.js';
import { bodyOf, type Env, reply } from '../http/reply.js';
import type { Service } from '../service.js';
import { isDelegatedPresentation } from '../verify/delegated.js';
import { verifyPresentation } from '../verify/presentation.js';
import type { Binding } from '../verify/result.js';
import { requestOf, statusAsked } from './options.js';

/** The challenge and domain the presentation's proof must be bound to. */
function bindingOf(options: JsonObject): Binding {
  const binding: Binding = {};
  for (const k of ['challenge', 'domain'] as const) {
    const v = options[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0)
      throw apiError('ERR_API_REQUEST', `options.${k} must be a non-empty string`);
    binding[k] = v;
  }
  return binding;
}

export function verifyPresentationsRoute(service: Service): Handler<Env> {
  return async function verifyPresentations(c) {
    const { document, options } = requestOf(bodyOf(c), 'verifiablePresentation');
    const binding = bindingOf(options);
    const expired = service.trustExpired();
    if (expired !== undefined) return reply(c, 400, expired);
    if (isDelegatedPresentation(document)) {
      // A chain is always verified whole, status included, for this verifier's challenge.
      if (binding.challenge === undefined)
        throw apiError('ERR_API_REQUEST', 'a delegated presentation is verified for options.challenge');
      const result = await service.delegated(document, binding);
      return reply(c, result.verified ? 200 : 400, result);
    }
    const result = await verifyPresentation(document, service.verifyContext(statusAsked(options)), binding);
    return reply(c, result.verified ? 200 : 400, result);
  };
}
