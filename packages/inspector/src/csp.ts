// SPDX-License-Identifier: Apache-2.0
// The page's Content-Security-Policy: scripts, styles and images from the page's own origin only,
// no inline script or style, no framing, no form posts, and no connections at all, unless the
// user asks the page to fetch did:web documents (then HTTPS connections only, and the page says so).

/** The policy for the page; `didWebFetch` opens `connect-src` to HTTPS hosts. */
export function inspectorCsp(didWebFetch = false): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${didWebFetch ? 'https:' : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
