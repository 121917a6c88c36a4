// SPDX-License-Identifier: Apache-2.0
// POST /credentials/verify {verifiableCredential, options?: {checks?}}: 200 with a verified
// result, 400 with the failed one.
import type { Handler } from 'hono';
import { bodyOf, type Env, reply } from '../http/reply.js';
import type { Service } from '../service.js';
import { verifyCredential } from '../verify/credential.js';
import { requestOf, statusAsked } from './options.js';

export function verifyCredentialsRoute(service: Service): Handler<Env> {
  return async function verifyCredentials(c) {
    const { document, options } = requestOf(bodyOf(c), 'verifiableCredential');
    const result =
      service.trustExpired() ??
      (await verifyCredential(document, service.verifyContext(statusAsked(options))));
    return reply(c, result.verified ? 200 : 400, result);
  };
}
