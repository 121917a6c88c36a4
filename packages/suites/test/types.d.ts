declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>;
}
