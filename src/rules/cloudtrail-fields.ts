// Which dotted paths a CloudTrail record can hold, to warn at load time about
// a rule that reads a field CloudTrail never writes (SigmaHQ's
// aws_delete_saml_provider reads `status`): such a selection can match only
// the field's absence, so the rule may never fire, and nothing else says so.
//
// The top-level fields are those of the CloudTrail record contents reference
// (the same list the SQL table is built from, src/sql/schema.ts, plus the two
// fields the Athena table leaves out). Below a structured field
// (`userIdentity`, `tlsDetails`...) names are not checked: AWS adds keys there
// over time, and a false warning would teach people to ignore the real ones.
// Free-form fields (`requestParameters`...) hold whatever the API call had.

import { CLOUDTRAIL_COLUMNS } from '../sql/schema.js';

/** CloudTrail record fields the Athena table does not declare. */
const NOT_IN_TABLE = ['managementEvent', 'insightDetails'];

const TOP_LEVEL = new Set([...CLOUDTRAIL_COLUMNS.map(([name]) => name), ...NOT_IN_TABLE]);

/** True when a Sigma field path can name something in a CloudTrail record. */
export function isCloudTrailField(path: string): boolean {
  if (TOP_LEVEL.has(path)) return true;
  // A dotted path: its first segment must be a record field. A key that itself
  // holds dots is tried first by the matcher, so check every prefix.
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) if (TOP_LEVEL.has(parts.slice(0, i).join('.'))) return true;
  return false;
}
