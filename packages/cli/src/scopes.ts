// SPDX-License-Identifier: Apache-2.0
// Scopes given on the command line, checked against the grammar (packages/schema) before any work,
// with the grammar said in words.
import { PassportError } from '@agent-passport/core';
import { isScope, REQUIRED_SCOPE_PATTERN } from '@agent-passport/schema';

/** The scope grammar in words (packages/schema/README.md has it as ABNF). */
export const SCOPE_GRAMMAR =
  'a scope is action:resource. The action is * or a lowercase word (a letter, then up to 31 letters, ' +
  'digits, _ or -). The resource is * or a path of segments separated by / (each a lowercase letter ' +
  'or digit, then up to 63 letters, digits, _, . or -), optionally ending in /* for everything below ' +
  'it. Examples: read:arxiv, write:notes/*, *:*';

/** Scopes a passport grants (`issue --scope`): wildcards allowed. */
export function checkGrantedScopes(scopes: readonly string[]): void {
  for (const s of scopes)
    if (!isScope(s))
      throw new PassportError('ERR_SCOPE_INVALID', `--scope ${s} is not a scope: ${SCOPE_GRAMMAR}`);
}

/** Scopes a call requires (`verify --scope`): the same grammar without any wildcard. */
export function checkRequiredScopes(scopes: readonly string[]): void {
  for (const s of scopes)
    if (!REQUIRED_SCOPE_PATTERN.test(s))
      throw new PassportError(
        'ERR_SCOPE_INVALID',
        `--scope ${s} is not a required scope: ${SCOPE_GRAMMAR}. A required scope names one action and one resource: no *`,
      );
}
