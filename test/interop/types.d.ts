// Minimal declarations for the reference stack, used by interop tests only.
declare module '@digitalbazaar/vc' {
  export function issue(o: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function signPresentation(o: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function createPresentation(o: Record<string, unknown>): Record<string, unknown>;
  export function verifyCredential(
    o: Record<string, unknown>,
  ): Promise<{ verified: boolean; error?: unknown }>;
  export function verify(o: Record<string, unknown>): Promise<{ verified: boolean; error?: unknown }>;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(o: Record<string, unknown>);
  }
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createSignCryptosuite(): unknown;
  export function createVerifyCryptosuite(): unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  interface KeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    signer(): { id: string; algorithm: string; sign(o: { data: Uint8Array }): Promise<Uint8Array> };
    export(o: Record<string, boolean>): Promise<Record<string, string>>;
  }
  export function generate(o?: Record<string, unknown>): Promise<KeyPair>;
  export function from(o: Record<string, unknown>): Promise<KeyPair>;
}
declare module '@digitalbazaar/ecdsa-multikey' {
  interface KeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    export(o: Record<string, boolean>): Promise<Record<string, string>>;
  }
  export function generate(o: Record<string, unknown>): Promise<KeyPair>;
  export function from(o: Record<string, unknown>): Promise<KeyPair>;
}
