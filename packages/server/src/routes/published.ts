// SPDX-License-Identifier: Apache-2.0
// What an issuer publishes, for GET and HEAD: its DID document (did:web), the AgentPassport schema
// and context, the status index and signed status lists, the Web Bot Auth key directory, and `/`
// (an index of the endpoints). Each is readable from any origin.
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { didWebToUrl } from '@agent-passport/did-web';
import { KEY_DIRECTORY_MEDIA_TYPE, KEY_DIRECTORY_PATH } from '@agent-passport/http-signatures';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE } from '@agent-passport/trust-bundle';
import { JSON_TYPE } from '../http/reply.js';
import { messageReference } from '../message-status.js';
import type { Service } from '../service.js';
import { agentKeyDirectory } from './key-directory.js';

/** A published file: its body and media type. */
export type Published = readonly [body: unknown, type: string];
/** The file published at a path, if any. */
export type PublishedFiles = (path: string) => Promise<Published | undefined>;

export function publishedFiles(service: Service): PublishedFiles {
  const { did, didDocument, publicUrl, statusBase, cryptosuites } = service.settings;
  const web = did.startsWith('did:web:');
  const didPath = web ? decodeURIComponent(didWebToUrl(did).pathname) : undefined;
  const issuerDir = web ? decodeURIComponent(issuerFileUrl(did, '.').pathname) : '/.well-known/';
  const statusPath = statusBase === undefined ? undefined : `${new URL(statusBase).pathname}/`;
  const index = {
    issuer: did,
    endpoints: {
      issue: '/credentials/issue',
      verify: '/credentials/verify',
      verifyPresentation: '/presentations/verify',
      status: '/credentials/status',
    },
    cryptosuites,
  };
  const fixed = new Map<string, () => Published | Promise<Published>>([
    [`${issuerDir}${SCHEMA_FILE}`, () => [AGENT_PASSPORT_SCHEMA, 'application/schema+json']],
    [`/.well-known/${SCHEMA_FILE}`, () => [AGENT_PASSPORT_SCHEMA, 'application/schema+json']],
    [
      '/contexts/agent-passport/v1.jsonld',
      () => [CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT), 'application/ld+json'],
    ],
    [
      KEY_DIRECTORY_PATH,
      () => [agentKeyDirectory(service.status.state, service.settings.clock()), KEY_DIRECTORY_MEDIA_TYPE],
    ],
    ['/', () => [index, JSON_TYPE]],
  ]);
  const statusIndex = async (): Promise<Published> => [
    { issuer: did, statusLists: [...(await service.status.lists()).keys()] },
    JSON_TYPE,
  ];
  fixed.set(`${issuerDir}${STATUS_INDEX_FILE}`, statusIndex);
  fixed.set(`/.well-known/${STATUS_INDEX_FILE}`, statusIndex);
  if (didPath !== undefined) fixed.set(didPath, () => [didDocument, 'application/did+json']);

  return async function published(path) {
    const file = fixed.get(path);
    if (file !== undefined) return file();
    const table = messageReference(`${publicUrl}${path}`, statusBase, service.settings.messageStatus);
    if (table !== undefined) return [table[1], table[2]];
    if (statusPath === undefined || !path.startsWith(statusPath)) return undefined;
    const list = (await service.status.lists()).get(`${publicUrl}${path}`);
    return list === undefined ? undefined : [list, 'application/vc+ld+json'];
  };
}
