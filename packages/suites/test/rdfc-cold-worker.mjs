// A fresh process verifies one eddsa-rdfc-2022 credential under an RDFC budget of argv[3] ms of
// CPU: its first canonicalisation must not be charged for compiling RDFC-1.0 and processing the
// VCDM 2.0 context for the first time.
import { readFileSync } from 'node:fs';
import { contexts } from '@digitalbazaar/credentials-context';
import { createRdfcBudget, verifyProof } from '../dist/index.js';

const { document, controller } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documentLoader = async (url) => {
  const found = contexts.get(url);
  if (found === undefined) throw new Error(`unknown ${url}`);
  return { contextUrl: null, documentUrl: url, document: found };
};
const rdfcBudget = createRdfcBudget({ cpuMs: Number(process.argv[3]) });
const result = await verifyProof(document, {
  proofPurpose: 'assertionMethod',
  controller,
  documentLoader,
  rdfcBudget,
});
process.stdout.write(JSON.stringify({ verified: result.verified, code: result.code }));
