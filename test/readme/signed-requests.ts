import { createAgentFetch } from '@agent-passport/http-signatures';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { type AgentContext, agentPassport } from '@agent-passport/middleware';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { Hono } from 'hono';

// The organisation issues the agent its passport (as in the quick start).
const org = generateKey();
const agent = generateKey();
const passport = await issuePassport({
  issuer: { id: org.did, signer: didKeySigner(org) },
  subject: agent.did,
  agentName: 'research-agent-12',
  purpose: 'literature-review',
  scopes: ['read:arxiv'],
  validUntil: new Date(Date.now() + 86_400_000),
  maxCalls: 1000,
});

// The service: the middleware in a few lines; Redis makes replay and maxCalls hold across instances.
const store = createRedisStore({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
const app = new Hono<{ Variables: { agentPassport: AgentContext } }>();
app.use(
  '/api/*',
  agentPassport({
    verifier: createVerifier({ trustedIssuers: [org.did] }),
    origin: 'https://api.example', // this service's public origin: the one agents sign for
    store,
    requiredScopes: ['read:arxiv'],
  }),
);
app.get('/api/papers', (c) => c.json({ agent: c.get('agentPassport').agent }));

// The agent: one line, a fetch that signs every request (RFC 9421) and carries the passport.
const signer = didKeySigner(agent);
const agentFetch = createAgentFetch({
  passport,
  keyId: signer.id,
  signer: (data) => signer.sign({ data }),
  fetch: app.request,
});

const response = await agentFetch('https://api.example/api/papers'); // drop `fetch:` to call over the network
const body = await response.json();
console.log(response.status, body); // 200 { agent: 'did:key:z6Mk…' }
await store.close();

export { agent, body, response };
