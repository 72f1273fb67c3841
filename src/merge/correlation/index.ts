// The correlation types, one module each; a new type is one file and one line here.

import type { CorrelationType } from '../../rules/types.js';
import { eventCount } from './event-count.js';
import type { CorrelationKind } from './kind.js';
import { temporalOrdered } from './temporal-ordered.js';
import { temporal } from './temporal.js';
import { valueCount } from './value-count.js';

export const CORRELATION_KINDS: Record<CorrelationType, CorrelationKind> = {
  event_count: eventCount,
  value_count: valueCount,
  temporal,
  temporal_ordered: temporalOrdered,
};

export type { CorrelationKind, Occurrence, Tracker } from './kind.js';
export { correlationFields, correlationHits, groupValue, type CorrelationHit } from './window.js';
