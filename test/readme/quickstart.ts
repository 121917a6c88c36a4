import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';

const org = generateKey(); // the organisation's key (did:key here; a did:web in production)
const agent = generateKey(); // the agent's own key: its did:key is the passport subject

const passport = await issuePassport({
  issuer: { id: org.did, signer: didKeySigner(org) },
  subject: agent.did,
  agentName: 'research-agent-12',
  purpose: 'literature-review',
  scopes: ['read:arxiv', 'write:notes/*'],
  validUntil: new Date(Date.now() + 90 * 86_400_000),
});

// The service sends a fresh challenge; the agent answers with a signed presentation.
const vp = await createPresentation({
  passport,
  signer: didKeySigner(agent),
  challenge: 'c-4f1c',
  domain: 'api.example',
});

const verifier = createVerifier({ trustedIssuers: [org.did] });
const result = await verifier.verifyPresentation(vp, {
  challenge: 'c-4f1c',
  domain: 'api.example',
  requiredScopes: ['read:arxiv'],
});
console.log(result.verified, result.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}`).join(' '));

export { result };
