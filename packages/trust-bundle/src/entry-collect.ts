// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/trust-bundle/collect`: gather issuers from a publish folder or the web (Node).
export { collectFromPublishFolder, collectFromWeb } from './collect.js';
