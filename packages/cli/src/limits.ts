// SPDX-License-Identifier: Apache-2.0
// How much the CLI reads of each input, each limit the one the library applies to that kind of
// document. Checked before a file is read: its size from stat, then a read that stops one byte past
// the limit (devices and growing files); standard input stops the same way.

/** Passports, presentations, DID documents, JSON-LD contexts, PEM files, org.json. */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
/** A signed status list credential. */
export const MAX_STATUS_LIST_BYTES = 8 * 1024 * 1024;
/** A signed trust bundle (it carries its issuers' status lists). */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
