// SPDX-License-Identifier: Apache-2.0

export type { ContextDigestAlgorithm, DocumentLoaderOptions } from './loader.js';
export {
  AGENT_DELEGATION_V1_CONTEXT,
  AGENT_PASSPORT_V1_CONTEXT,
  CONTEXT_DIGESTS,
  CONTEXTS,
  createDocumentLoader,
  DATA_INTEGRITY_V2_CONTEXT,
  DID_V1_CONTEXT,
  MULTIKEY_V1_CONTEXT,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from './loader.js';
