// SPDX-License-Identifier: Apache-2.0
// A real A2A agent (the official SDK's Express handlers) on 127.0.0.1 whose card is signed with the
// agent's did:key and carries its passport; a client that talks to it only once the card verifies,
// and refuses an unsigned card, a card signed by another key, a tampered card, and a revoked or
// expired passport, each with its code.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_CARD_PATH, AgentCard, Role } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { PassportError } from '@agent-passport/core';
import { passportRef } from '@agent-passport/http-signatures';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { createStatusChecker } from '@agent-passport/status';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPassport, connectVerifiedAgent, createCardVerifier, signAgentCard } from '../src/index.js';

const org = generateKey();
const agent = generateKey();
const other = generateKey();
const dir = mkdtempSync(join(tmpdir(), 'ap-a2a-'));
const state = openIssuerState(join(dir, 'issuer-state.json'), {
  issuer: org.did,
  statusBase: 'https://org.example/status',
});
const issuer = { id: org.did, signer: didKeySigner(org) };

async function passportFor(id: string, validUntil: Date, now = new Date()) {
  const { entries } = await state.allocate({
    id,
    subject: agent.did,
    agentName: 'travel-agent',
    issuedAt: now.toISOString(),
    validUntil: validUntil.toISOString(),
  });
  return issuePassport({
    id,
    issuer,
    subject: agent.did,
    agentName: 'travel-agent',
    purpose: 'bookings',
    scopes: ['read:flights'],
    validFrom: new Date(now.getTime() - 60_000),
    validUntil,
    credentialStatus: entries,
    now,
  });
}

function baseCard(url: string): AgentCard {
  return AgentCard.fromJSON({
    name: 'Travel agent',
    description: 'Books flights',
    version: '1.0.0',
    supportedInterfaces: [{ url: `${url}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: false, extensions: [] },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'book', name: 'Book', description: 'Books a flight', tags: ['travel'] }],
  });
}

const executor: AgentExecutor = {
  async execute(context, bus) {
    const text = context.userMessage.parts[0]?.content;
    bus.publish(
      AgentEvent.message({
        messageId: crypto.randomUUID(),
        contextId: context.contextId,
        taskId: '',
        role: Role.ROLE_AGENT,
        parts: [
          {
            content: { $case: 'text', value: `booked: ${text?.$case === 'text' ? text.value : ''}` },
            metadata: undefined,
            filename: '',
            mediaType: 'text/plain',
          },
        ],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      }),
    );
    bus.finished();
  },
  async cancelTask() {},
};

/** A real A2A agent on 127.0.0.1 serving whatever card `make` builds for its URL. */
async function serve(make: (url: string) => Promise<AgentCard>): Promise<{ url: string; server: Server }> {
  const app = express();
  const server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const card = await make(url);
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: async () => card }));
  app.use(
    '/a2a/jsonrpc',
    jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }),
  );
  return { url, server };
}

const servers: Server[] = [];
const at = async (make: (url: string) => Promise<AgentCard>) => {
  const s = await serve(make);
  servers.push(s.server);
  return s.url;
};
let lists: Awaited<ReturnType<typeof state.issueLists>>;
let valid: Awaited<ReturnType<typeof passportFor>>;
let revoked: Awaited<ReturnType<typeof passportFor>>;
let expired: Awaited<ReturnType<typeof passportFor>>;

beforeAll(async () => {
  valid = await passportFor(`urn:uuid:${crypto.randomUUID()}`, new Date(Date.now() + 86_400_000));
  revoked = await passportFor(`urn:uuid:${crypto.randomUUID()}`, new Date(Date.now() + 86_400_000));
  const past = new Date(Date.now() - 10 * 86_400_000);
  expired = await passportFor(`urn:uuid:${crypto.randomUUID()}`, new Date(Date.now() - 86_400_000), past);
  await state.change({ id: revoked.id as string }, 'revoke', new Date());
  lists = await state.issueLists({ signer: issuer.signer });
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const cardVerifier = () =>
  createCardVerifier({
    verifier: createVerifier({
      trustedIssuers: [org.did],
      checkStatus: createStatusChecker({ lists: lists.map((l) => l.credential) }),
    }),
  });
const signedWith =
  (passport: object, key = agent) =>
  async (url: string) =>
    signAgentCard(attachPassport(baseCard(url), { passport }), key);

async function refusal(url: string): Promise<string> {
  try {
    await connectVerifiedAgent(url, cardVerifier());
  } catch (error) {
    if (error instanceof PassportError) return error.code;
    throw error;
  }
  throw new Error('the card was accepted');
}

describe('A2A Agent Cards with a passport, over loopback HTTP', () => {
  it('a card signed by the agent with its passport verifies, and the client then talks to the agent', async () => {
    const url = await at(signedWith(valid));
    const { client, verification } = await connectVerifiedAgent(url, cardVerifier());
    expect(verification.checks.map((c) => [c.name, c.ok])).toEqual([
      ['card-signature', true],
      ['card-passport', true],
      ['passport', true],
      ['holder', true],
    ]);
    expect(verification.agent).toBe(agent.did);
    const reply = await client.sendMessage({
      tenant: '',
      message: {
        messageId: crypto.randomUUID(),
        contextId: '',
        taskId: '',
        role: Role.ROLE_USER,
        parts: [
          { content: { $case: 'text', value: 'LHR-JFK' }, metadata: undefined, filename: '', mediaType: '' },
        ],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: undefined,
      metadata: undefined,
    });
    expect(JSON.stringify(reply)).toContain('booked: LHR-JFK');
  });

  it('refuses an unsigned card', async () => {
    expect(await refusal(await at(async (url) => attachPassport(baseCard(url), { passport: valid })))).toBe(
      'ERR_CARD_UNSIGNED',
    );
  });

  it('refuses a card signed by another key than the passport subject', async () => {
    expect(await refusal(await at(signedWith(valid, other)))).toBe('ERR_HOLDER_MISMATCH');
  });

  it('refuses a card changed after signing (the passport swapped in the extension)', async () => {
    const url = await at(async (u) => {
      const card = await signAgentCard(attachPassport(baseCard(u), { passport: valid }), agent);
      return { ...attachPassport(card, { passport: revoked }), signatures: card.signatures };
    });
    expect(await refusal(url)).toBe('ERR_CARD_SIGNATURE');
  });

  it('refuses a revoked passport and an expired one', async () => {
    expect(await refusal(await at(signedWith(revoked)))).toBe('ERR_REVOKED');
    expect(await refusal(await at(signedWith(expired)))).toBe('ERR_EXPIRED');
  });

  it('refuses a signed card without a passport', async () => {
    expect(await refusal(await at(async (url) => signAgentCard(baseCard(url), agent)))).toBe(
      'ERR_CARD_PASSPORT_MISSING',
    );
  });
});

describe('the passport by URL and digest', () => {
  const bytes = () => new TextEncoder().encode(JSON.stringify(valid));
  const card = async () =>
    signAgentCard(
      attachPassport(baseCard('http://agent.example'), {
        passportUrl: 'https://org.example/passports/travel.json',
        passportBytes: bytes(),
      }),
      agent,
    );

  it('verifies when the fetched bytes have the digest the card signs', async () => {
    const fetched: string[] = [];
    const verifier = createCardVerifier({
      verifier: createVerifier({
        trustedIssuers: [org.did],
        checkStatus: createStatusChecker({ lists: lists.map((l) => l.credential) }),
      }),
      fetchPassport: async (url) => {
        fetched.push(url);
        return bytes();
      },
    });
    const c = await card();
    expect(c.capabilities?.extensions[0]?.params?.['passportDigest']).toBe(passportRef(bytes()));
    expect((await verifier.verifyCard(c)).verified).toBe(true);
    expect(fetched).toEqual(['https://org.example/passports/travel.json']);
  });

  it('refuses other bytes (ERR_PASSPORT_REF_MISMATCH), and a URL with no fetcher (ERR_PASSPORT_UNKNOWN)', async () => {
    const swapped = createCardVerifier({
      verifier: createVerifier({ trustedIssuers: [org.did] }),
      fetchPassport: async () => new TextEncoder().encode(JSON.stringify(revoked)),
    });
    expect((await swapped.verifyCard(await card())).errors[0]?.code).toBe('ERR_PASSPORT_REF_MISMATCH');
    const none = createCardVerifier({ verifier: createVerifier({ trustedIssuers: [org.did] }) });
    expect((await none.verifyCard(await card())).errors[0]?.code).toBe('ERR_PASSPORT_UNKNOWN');
  });

  it('refuses a card whose signature header is not EdDSA by a did:key', async () => {
    const c = await card();
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'https://keys.example/1' })).toString(
      'base64url',
    );
    const forged = { ...c, signatures: [{ ...c.signatures[0], protected: header, header: undefined }] };
    const verifier = createCardVerifier({ verifier: createVerifier({ trustedIssuers: [org.did] }) });
    expect((await verifier.verifyCard(forged as AgentCard)).errors[0]?.code).toBe('ERR_CARD_SIGNATURE');
  });
});
