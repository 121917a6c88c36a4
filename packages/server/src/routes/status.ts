// SPDX-License-Identifier: Apache-2.0
// POST /credentials/status {credentialId, credentialStatus: {type: "BitstringStatusListEntry",
// statusPurpose: "revocation" | "suspension"}, status?: boolean}, or a `message` entry with its value
// (message-status.ts): the change is durable in the
// issuer state when this answers 200, and the lists are signed again. Revocation is permanent.
import { isObject, type JsonObject } from '@agent-passport/core';
import type { IssuerState } from '@agent-passport/issuer';
import type { Handler } from 'hono';
import { apiError } from '../errors.js';
import { bodyOf, type Env, reply } from '../http/reply.js';
import { changeMessageStatus, isMessageChange } from '../message-status.js';
import type { Service } from '../service.js';

interface StatusRequest {
  readonly credentialId: string;
  readonly status: boolean;
  readonly purposes: readonly ('revocation' | 'suspension')[];
}

function parseRequest(body: unknown): StatusRequest {
  if (!isObject(body) || typeof body['credentialId'] !== 'string' || body['credentialStatus'] === undefined)
    throw apiError('ERR_API_REQUEST', 'the body must be {credentialId, credentialStatus, status?}');
  const status = body['status'] ?? true;
  if (typeof status !== 'boolean') throw apiError('ERR_API_REQUEST', 'status must be true or false');
  const raw = body['credentialStatus'];
  const purposes = (Array.isArray(raw) ? raw : [raw]).map((e: unknown) => {
    const purpose = isObject(e) && e['type'] === 'BitstringStatusListEntry' ? e['statusPurpose'] : undefined;
    if (purpose !== 'revocation' && purpose !== 'suspension')
      throw apiError(
        'ERR_API_REQUEST',
        'credentialStatus must be {type: "BitstringStatusListEntry", statusPurpose: "revocation" | "suspension"}',
      );
    return purpose;
  });
  return { credentialId: body['credentialId'], status, purposes };
}

/** Apply the changes asked for to the credential's entries in the issuer state. */
async function apply(state: IssuerState, request: StatusRequest, now: Date): Promise<void> {
  const { credentialId, status } = request;
  const held = Object.values(state.read().passports).filter((p) => p.subject === credentialId);
  if (held.length === 0)
    throw apiError(
      'ERR_PASSPORT_NOT_FOUND',
      `no credential ${credentialId} was issued here with a status entry`,
    );
  for (const purpose of request.purposes) {
    if (purpose === 'suspension')
      await state.change({ subject: credentialId }, status ? 'suspend' : 'reinstate', now);
    else if (status) await state.change({ subject: credentialId }, 'revoke', now);
    else if (held.some((p) => p.revokedAt !== undefined))
      throw apiError('ERR_REVOKED', `${credentialId} is revoked: revocation is permanent`);
  }
}

export function statusRoute(service: Service): Handler<Env> {
  return async function changeStatus(c) {
    const body = bodyOf(c);
    if (isMessageChange(body)) {
      const [code, answer] = await changeMessageStatus(
        body as JsonObject,
        service.status.state,
        service.settings.messageStatus,
      ).finally(() => service.status.changed());
      return reply(c, code as 200, answer);
    }
    const request = parseRequest(body);
    const { state } = service.status;
    if (state === undefined)
      throw apiError(
        'ERR_PASSPORT_NOT_FOUND',
        `no credential ${request.credentialId} was issued here with a status entry`,
      );
    await apply(state, request, service.settings.clock());
    service.status.changed();
    const credentialStatus: JsonObject[] = request.purposes.map((statusPurpose) => ({
      type: 'BitstringStatusListEntry',
      statusPurpose,
      status: request.status,
    }));
    return reply(c, 200, { credentialId: request.credentialId, credentialStatus });
  };
}
