// SPDX-License-Identifier: Apache-2.0
// Everything: the portable bundle entry and the Node collection entry.
export * from './entry-bundle.js';
export * from './entry-collect.js';
