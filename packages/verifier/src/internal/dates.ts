// SPDX-License-Identifier: Apache-2.0
export { DATE_TIME_STAMP, parseDateTime } from '@agent-passport/core';
