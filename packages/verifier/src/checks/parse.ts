// SPDX-License-Identifier: Apache-2.0
// Check 1, `parse`: strict JSON (or a checked copy of an object), canonicalized in the same walk
// (RFC 8785) so the cache key and both proofs reuse the canonical forms.
import { CheckFailure, failUnless, isObject, PassportError } from '@agent-passport/core';
import { checkVcdm2Presentation } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import { type PreparedJcs, prepareJcs } from '@agent-passport/suites';
import type { PassportCache } from '../cache.js';
import type { Settings } from '../config.js';
import type { CallContext } from '../context.js';
import { handleBytes, handleKey, isPassportHandle } from '../handle.js';

/**
 * Parse bytes or text strictly, or check and copy an object; a strictly parsed value is fresh. A
 * passport inside that is the same JSON as one verified before is not copied again (cache.adopt).
 */
function prepare(settings: Settings, cache: PassportCache, input: unknown): PreparedJcs {
  const { maxDepth } = settings;
  try {
    if (typeof input === 'string' || input instanceof Uint8Array) {
      const parsed = parseJson(input, { maxBytes: settings.maxBytes, maxDepth });
      return prepareJcs(parsed, { maxDepth, adopt: cache.adopt });
    }
    return prepareJcs(input, { maxDepth, copy: true, adopt: cache.adopt });
  } catch (cause) {
    if (cause instanceof PassportError) throw new CheckFailure(cause.code, cause.message);
    throw new CheckFailure('ERR_PARSE_TYPE', 'the input is not JSON');
  }
}

/**
 * A credential: raw bytes that verified before are a hit before any parsing. A handle is its bytes
 * with their key already computed: the same key, the same parse on a miss.
 */
export function parseCredential(ctx: CallContext, cache: PassportCache, input: unknown): void {
  if (isPassportHandle(input)) {
    ctx.key = handleKey(input);
    ctx.hit = cache.getRaw(ctx.key);
    if (ctx.hit !== undefined) return;
    ctx.prepared = prepare(ctx.settings, cache, handleBytes(input));
    ctx.document = ctx.prepared.value;
    return;
  }
  if (cache.enabled && (typeof input === 'string' || input instanceof Uint8Array)) {
    // Keyed by exactly the bytes received: a hit means these bytes verified before.
    ctx.key = cache.rawKey(input);
    ctx.hit = cache.getRaw(ctx.key);
    if (ctx.hit !== undefined) return;
  }
  ctx.prepared = prepare(ctx.settings, cache, input);
  ctx.document = ctx.prepared.value;
}

function isEnveloped(credential: unknown): boolean {
  const types = isObject(credential) ? credential['type'] : undefined;
  return (Array.isArray(types) ? types : [types]).includes('EnvelopedVerifiableCredential');
}

/** A presentation carrying exactly one passport, under the VCDM presentation rules. */
export function parsePresentation(ctx: CallContext, cache: PassportCache, input: unknown): void {
  ctx.prepared = prepare(ctx.settings, cache, input);
  const presentation = ctx.prepared.value;
  failUnless(isObject(presentation), 'ERR_PARSE_TYPE', 'the presentation is not a JSON object');
  const vcs = presentation['verifiableCredential'];
  const list: unknown[] = Array.isArray(vcs) ? vcs : vcs === undefined ? [] : [vcs];
  const only = list.length === 1 && isObject(list[0]) ? list[0] : undefined;
  // The presentation check applies the VCDM credential rules to each embedded credential that is
  // not enveloped; those rules are path-independent, so they need not run again.
  const enveloped = isEnveloped(only);
  if (only !== undefined) {
    ctx.key = cache.objectKey(ctx, only);
    ctx.hit = cache.getObject(ctx.key, only);
  }
  // A passport whose exact signed form verified before already passed those rules.
  const shape = checkVcdm2Presentation(
    ctx.hit !== undefined && !enveloped ? { ...presentation, verifiableCredential: undefined } : presentation,
  );
  if (!shape.ok) throw new CheckFailure('ERR_PRESENTATION_INVALID', `${shape.path}: ${shape.message}`);
  failUnless(list.length === 1, 'ERR_PRESENTATION_INVALID', 'exactly one passport per presentation');
  ctx.presentation = presentation;
  ctx.document = ctx.hit?.credential ?? list[0];
  ctx.vcdmChecked = only !== undefined && !enveloped;
}
