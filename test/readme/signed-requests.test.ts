// SPDX-License-Identifier: Apache-2.0
// The README's signed-request example: this folder's signed-requests.ts, quoted whole (imports
// included), run against a real redis-server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  haveRedis,
  type RunningRedis,
  startRedis,
} from '../../packages/http-signatures/test/redis-server.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const source = readFileSync(join(import.meta.dirname, 'signed-requests.ts'), 'utf8');
const quoted = source.replace(/\n*export \{ agent, body, response \};\n$/, '\n');

describe('README: signed requests', () => {
  it('quotes signed-requests.ts verbatim', () => expect(readme).toContain(quoted));

  describe.skipIf(!haveRedis())('runs against a real redis-server (needs redis-server)', () => {
    let redis: RunningRedis;
    beforeAll(async () => {
      redis = await startRedis();
      process.env['REDIS_URL'] = redis.url;
    });
    afterAll(async () => redis?.stop());
    it('the agent is accepted', async () => {
      const { agent, body, response } = await import('./signed-requests.js');
      expect(response.status).toBe(200);
      expect(body).toEqual({ agent: agent.did });
    }, 30_000);
  });
});
