// A detection rule built in a test, as the loader would make it from a file.

import { parse } from 'yaml';
import type { DetectionRule } from '../../src/rules/types.js';

/** A detection rule from its Sigma `detection:` block (YAML text or a map); the rest defaults as for `<key>.yml`. */
export function detectionRule(key: string, detection: string | Record<string, unknown>, more: Partial<DetectionRule> = {}): DetectionRule {
  return {
    kind: 'detection',
    key,
    title: key,
    level: 'low',
    id: null,
    file: `${key}.yml`,
    generate: true,
    detection: typeof detection === 'string' ? (parse(detection) as Record<string, unknown>) : detection,
    ...more,
  };
}
