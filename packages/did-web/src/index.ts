// SPDX-License-Identifier: Apache-2.0
// Everything: the offline document entry and the network resolver entry. Code that must run
// without Node's network modules imports `@agent-passport/did-web/document` instead.
export * from './entry-document.js';
export * from './entry-resolver.js';
