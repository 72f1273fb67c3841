// The posture rule over the IAM credential report (`aws iam
// get-credential-report`, base64-decoded): a user with a console password
// and no active MFA device (CIS AWS Foundations 1.2).

import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { sortHits } from '../merge/sort.js';
import type { Hit } from '../model.js';
import type { PostureRule } from '../rules/types.js';

const REQUIRED = ['user', 'arn', 'password_enabled', 'mfa_active'] as const;

/** One hit per row whose password_enabled is true and mfa_active false, sorted by group. */
export function credentialReportHits(csvText: string, rule: PostureRule, reference: string): Hit[] {
  let rows: string[][];
  try {
    rows = parse(csvText, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true });
  } catch (err) {
    throw new UsageError(`${reference}: not a credential report (not CSV: ${(err as Error).message}); pass the CSV of aws iam get-credential-report, base64-decoded`);
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const column = {} as Record<(typeof REQUIRED)[number], number>;
  for (const name of REQUIRED) {
    const at = header.indexOf(name);
    if (at < 0) {
      throw new UsageError(`${reference}: not a credential report (no "${name}" column); pass the CSV of aws iam get-credential-report, base64-decoded`);
    }
    column[name] = at;
  }
  const hits: Hit[] = [];
  for (const row of rows.slice(1)) {
    const cell = (name: (typeof REQUIRED)[number]) => (row[column[name]] ?? '').trim();
    // The root row says `not_supported`: only an explicit true/false decides.
    if (cell('password_enabled').toLowerCase() !== 'true' || cell('mfa_active').toLowerCase() !== 'false') continue;
    const user = cell('user');
    const arn = cell('arn');
    hits.push({
      rule: rule.key,
      title: rule.title,
      severity: rule.level,
      time: null,
      lastTime: null,
      count: 1,
      group: { user, arn },
      account: accountOf(arn),
      region: null,
      actor: user,
      sourceIPAddress: null,
      eventName: null,
      eventIDs: [],
      sources: [reference],
      target: user,
      fields: {},
    });
  }
  return sortHits(hits);
}

/** The account of `arn:aws:iam::<account>:user/...` (any partition), or null. */
function accountOf(arn: string): string | null {
  const m = /^arn:[^:]+:iam::([^:]*):/.exec(arn);
  return m && m[1] !== '' ? m[1]! : null;
}
