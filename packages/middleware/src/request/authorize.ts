// SPDX-License-Identifier: Apache-2.0
// The service's own last check of a call the request checks accepted (`authorize`), before its
// evidence is recorded: a refusal turns the answer into a refusal with the service's code (a last,
// failed check named `authorize`), naming the signer as every refusal after the signature check does.
import { isPassportError } from '@agent-passport/core';
import type { RequestVerification, RequestVerifierOptions, ServiceRefusal } from '../verify-request.js';

type Authorize = NonNullable<RequestVerifierOptions['authorize']>;

async function serviceRefusal(
  authorize: Authorize,
  request: Request,
  result: RequestVerification,
): Promise<ServiceRefusal | undefined> {
  try {
    return await authorize(request, result);
  } catch (e) {
    if (isPassportError(e)) return { code: e.code, message: e.message };
    return { code: 'ERR_VERIFIER_INTERNAL', message: 'the service could not check this call' };
  }
}

/** `result` itself when the service lets the call in, else the refusal. */
export async function authorized(
  authorize: Authorize,
  request: Request,
  result: RequestVerification,
): Promise<RequestVerification> {
  const refusal = await serviceRefusal(authorize, request, result);
  if (refusal === undefined) return result;
  return {
    verified: false,
    checks: [
      ...result.checks,
      { name: 'authorize', ok: false, code: refusal.code, message: refusal.message },
    ],
    errors: [{ code: refusal.code, message: refusal.message }],
    ...(result.keyId === undefined ? {} : { keyId: result.keyId }),
    ...(result.agent === undefined ? {} : { agent: result.agent }),
  };
}
