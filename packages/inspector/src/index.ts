// SPDX-License-Identifier: Apache-2.0

export { inspectorCsp } from './csp.js';
export type { FetchHandler, InspectorOptions } from './handler.js';
export { createInspectorHandler } from './handler.js';
export type { NodeHandler } from './node.js';
export { withInspector } from './node.js';
export { buildInspector, DEFAULT_SITE_DIR } from './site.js';
