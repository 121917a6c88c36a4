// SPDX-License-Identifier: Apache-2.0
// The status purposes this toolkit issues and checks (Bitstring Status List v1.0 §2.1).
export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];
