// The posture rule over the IAM credential report (`aws iam
// get-credential-report`, base64-decoded): a user with a console password
// and no active MFA device (CIS AWS Foundations 1.2).

import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { sortHits } from '../merge/sort.js';
import type { Hit } from '../model.js';
import type { PostureRule } from '../rules/types.js';

const REQUIRED = ['user', 'arn', 'password_enabled', 'mfa_active'] as const;

/**
 * The posture rules' hits over one report, sorted by rule then group:
 * `credential-report-mfa`, one per IAM user row whose password_enabled is
 * true and mfa_active false; `credential-report-root-mfa`, the
 * `<root_account>` row when its mfa_active is false (its password_enabled
 * reads `not_supported`, so only this rule sees it).
 */
export function credentialReportHits(csvText: string, rules: PostureRule | readonly PostureRule[], reference: string): Hit[] {
  const list: readonly PostureRule[] = Array.isArray(rules) ? rules : [rules as PostureRule];
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
    const root = cell('user') === ROOT_USER;
    const noMfa = cell('mfa_active').toLowerCase() === 'false';
    for (const rule of list) {
      // The root row says `not_supported` for password_enabled: only an explicit true/false decides for users.
      const flagged =
        rule.engine === 'credential-report-root-mfa'
          ? root && noMfa
          : !root && cell('password_enabled').toLowerCase() === 'true' && noMfa;
      if (flagged) hits.push(postureHit(rule, cell('user'), cell('arn'), reference));
    }
  }
  return sortHits(hits);
}

/** The user column of the root account's row. */
const ROOT_USER = '<root_account>';

function postureHit(rule: PostureRule, user: string, arn: string, reference: string): Hit {
  return {
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
    // The report's user is what the hit is about (`<root_account>` for the root row); a report row has no event fields.
    target: user,
    fields: {},
  };
}

/** The account of `arn:aws:iam::<account>:user/...` or `:root` (any partition), or null. */
function accountOf(arn: string): string | null {
  const m = /^arn:[^:]+:iam::([^:]*):/.exec(arn);
  return m && m[1] !== '' ? m[1]! : null;
}
