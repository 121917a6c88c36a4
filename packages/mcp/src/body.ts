// SPDX-License-Identifier: Apache-2.0
// Read a request body up to a bound, whatever Content-Length says (a chunked body declares none):
// the gate never holds more than `max` bytes of an unauthenticated request.

/** The body's bytes, or undefined when it is longer than `max`. */
export async function readBounded(request: Request, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > max) return undefined;
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
