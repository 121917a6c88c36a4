// SPDX-License-Identifier: Apache-2.0
// A signed request pasted as raw HTTP/1.1 text: request line, headers, blank line, body. The
// target URL is the request line's absolute form, or https:// + Host + the path (said in a note).
import { PassportError } from '@agent-passport/core';

export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array | undefined;
  /** The scheme was not in the text: https was assumed. */
  readonly assumedHttps: boolean;
}

const bad = (message: string) => new PassportError('ERR_PARSE_TYPE', `not an HTTP request: ${message}`);

export function parseHttpText(text: string): RawRequest {
  const normalised = text.replace(/\r\n/g, '\n').replace(/^\s+/, '');
  const split = normalised.indexOf('\n\n');
  const head = split < 0 ? normalised.trimEnd() : normalised.slice(0, split);
  const rest = split < 0 ? '' : normalised.slice(split + 2);
  const [line = '', ...headerLines] = head.split('\n');
  const m = /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/.exec(line.trim());
  if (m === null) throw bad('the first line is not METHOD TARGET HTTP/1.1');
  const headers: [string, string][] = [];
  for (const h of headerLines) {
    const at = h.indexOf(':');
    if (at < 1) throw bad(`the header line "${h.slice(0, 40)}" has no name`);
    headers.push([h.slice(0, at).trim().toLowerCase(), h.slice(at + 1).trim()]);
  }
  const target = m[2] as string;
  const host = headers.find(([k]) => k === 'host')?.[1];
  const absolute = /^https?:\/\//.test(target);
  if (!absolute && host === undefined) throw bad('no Host header and no absolute URL');
  let url: string;
  try {
    url = new URL(absolute ? target : `https://${host}${target}`).href;
  } catch {
    throw bad('the target is not a URL');
  }
  return {
    method: m[1] as string,
    url,
    headers,
    body: rest.length === 0 ? undefined : new TextEncoder().encode(rest),
    assumedHttps: !absolute,
  };
}
