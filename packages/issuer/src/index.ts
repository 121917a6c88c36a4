// SPDX-License-Identifier: Apache-2.0

export type { MessageStatusEntry } from './internal/message-lists.js';
export type { IssuePassportOptions, PassportIssuer } from './passport.js';
export { assertAssertionMethod, issuePassport } from './passport.js';
export type { CreatePresentationOptions } from './present.js';
export { createPresentation } from './present.js';
export type {
  IssuedPassport,
  IssuerState,
  IssuerStateData,
  IssuerStateOptions,
  PassportSelector,
  StatusChange,
} from './state.js';
export { listUrl, openIssuerState } from './state.js';
