// SPDX-License-Identifier: Apache-2.0
// The status purposes this toolkit issues and checks (Bitstring Status List v1.0 §2.1).

/** Purposes whose set bit refuses a credential: one bit per entry. */
export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

/** Every purpose a list is issued and read for: also `message`, entries of statusSize bits, never refusing. */
export const LIST_PURPOSES = [...STATUS_PURPOSES, 'message'] as const;
export type ListPurpose = (typeof LIST_PURPOSES)[number];
