// SPDX-License-Identifier: Apache-2.0
// Local type declarations for the untyped digitalbazaar stack. Only this package imports it
// (docs/architecture.md, "Packages and layers"); the shapes are the subset this package uses.
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; date?: Date | string | null; cryptosuite: unknown });
    verificationMethod?: string;
    verifyProof(options: {
      proof: unknown;
      document: unknown;
      documentLoader: unknown;
    }): Promise<{ verified: boolean; error?: unknown }>;
  }
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createSignCryptosuite(): Record<string, unknown>;
  export function createVerifyCryptosuite(): Record<string, unknown>;
}
declare module '@digitalbazaar/ecdsa-jcs-2019-cryptosuite' {
  export function createSignCryptosuite(): Record<string, unknown>;
  export function createVerifyCryptosuite(): Record<string, unknown>;
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: Record<string, unknown>;
}
declare module '@digitalbazaar/vc' {
  export function issue(options: {
    credential: unknown;
    suite: unknown;
    documentLoader: unknown;
    now?: Date;
  }): Promise<Record<string, unknown>>;
  export function signPresentation(options: {
    presentation: unknown;
    suite: unknown;
    challenge: string;
    domain?: string;
    documentLoader: unknown;
  }): Promise<Record<string, unknown>>;
}
declare module 'jsonld-signatures' {
  interface Purpose {
    readonly term: string;
  }
  const jsigs: {
    sign(
      document: unknown,
      options: { suite: unknown; purpose: Purpose; documentLoader: unknown },
    ): Promise<Record<string, unknown>>;
    verify(
      document: unknown,
      options: { suite: unknown; purpose: Purpose; documentLoader: unknown },
    ): Promise<{ verified: boolean; error?: unknown; results?: unknown[] }>;
    purposes: {
      AssertionProofPurpose: new (options?: { controller?: unknown; date?: Date }) => Purpose;
      AuthenticationProofPurpose: new (options: {
        controller?: unknown;
        challenge: string;
        domain?: string;
        date?: Date;
      }) => Purpose;
    };
  };
  export default jsigs;
}
declare module 'jsonld' {
  const jsonld: {
    toRDF(input: unknown, options: Record<string, unknown>): Promise<unknown[]>;
  };
  export default jsonld;
}
declare module 'rdf-canonize' {
  export function canonize(dataset: unknown, options: Record<string, unknown>): Promise<string>;
}
