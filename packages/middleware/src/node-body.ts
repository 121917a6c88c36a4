// SPDX-License-Identifier: Apache-2.0
// A Node request body (Express, Fastify) read under a byte limit. Past the limit the stream is
// paused and left, never destroyed: destroying a request destroys its socket, and the refusal
// (413, `Connection: close`) could not be sent.
import type { Readable } from 'node:stream';
import { type BodyRead, bodyTooLarge } from '@agent-passport/http-signatures';

/** The slice of a Node readable stream this reads. */
export type NodeReadable = Pick<Readable, 'on' | 'off' | 'pause'>;

export function readNodeBody(stream: NodeReadable, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > maxBytes) {
        stop();
        stream.pause();
        resolve(bodyTooLarge(maxBytes));
      } else chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve({ ok: true, bytes: Buffer.concat(chunks) });
    };
    const onError = (error?: unknown) => {
      stop();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
