// The CloudTrail table both SQL engines read, as AWS documents it for Athena
// ("Creating the table for CloudTrail logs in Athena using partition
// projection"). One description feeds the DDL printer, the DuckDB view that
// stands in for the table, the SQL printers (how a field is read) and the
// rows → events reconstruction.

/**
 * A column's type: a string, a string CloudTrail writes as a JSON boolean
 * (`readOnly`), JSON text in a string, a struct of named fields, an array, or
 * a map of strings. Names are CloudTrail's spelling (`ARN`, `accountId`): the
 * table's columns are case-insensitive, the rebuilt record is not.
 */
export type ColumnType =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'json' }
  | { kind: 'struct'; fields: [string, ColumnType][] }
  | { kind: 'array'; of: ColumnType }
  | { kind: 'map' };

const S: ColumnType = { kind: 'string' };
const B: ColumnType = { kind: 'boolean' };
const J: ColumnType = { kind: 'json' };
const struct = (...fields: [string, ColumnType][]): ColumnType => ({ kind: 'struct', fields });

/** Top-level CloudTrail fields, in CloudTrail's spelling (the column is the lowercase name). */
export const CLOUDTRAIL_COLUMNS: [string, ColumnType][] = [
  ['eventVersion', S],
  [
    'userIdentity',
    struct(
      ['type', S],
      ['principalId', S],
      ['arn', S],
      ['accountId', S],
      ['invokedBy', S],
      ['accessKeyId', S],
      ['userName', S],
      ['onBehalfOf', struct(['userId', S], ['identityStoreArn', S])],
      [
        'sessionContext',
        struct(
          ['attributes', struct(['mfaAuthenticated', S], ['creationDate', S])],
          ['sessionIssuer', struct(['type', S], ['principalId', S], ['arn', S], ['accountId', S], ['userName', S])],
          ['ec2RoleDelivery', S],
          ['webIdFederationData', struct(['federatedProvider', S], ['attributes', { kind: 'map' }])],
          ['sourceIdentity', S],
        ),
      ],
    ),
  ],
  ['eventTime', S],
  ['eventSource', S],
  ['eventName', S],
  ['awsRegion', S],
  ['sourceIPAddress', S],
  ['userAgent', S],
  ['errorCode', S],
  ['errorMessage', S],
  ['requestParameters', J],
  ['responseElements', J],
  ['additionalEventData', J],
  ['requestID', S],
  ['eventID', S],
  ['readOnly', B],
  ['resources', { kind: 'array', of: struct(['ARN', S], ['accountId', S], ['type', S]) }],
  ['eventType', S],
  ['apiVersion', S],
  ['recipientAccountId', S],
  ['serviceEventDetails', J],
  ['sharedEventID', S],
  ['vpcEndpointId', S],
  ['vpcEndpointAccountId', S],
  ['eventCategory', S],
  ['addendum', struct(['reason', S], ['updatedFields', S], ['originalRequestID', S], ['originalEventID', S])],
  ['sessionCredentialFromConsole', S],
  ['edgeDeviceDetails', J],
  ['tlsDetails', struct(['tlsVersion', S], ['cipherSuite', S], ['clientProvidedHostHeader', S])],
];

/** Hive/Athena type text of a column type (`STRUCT<type: STRING, ...>`). */
export function hiveType(t: ColumnType): string {
  switch (t.kind) {
    case 'string':
    case 'boolean':
    case 'json':
      return 'STRING';
    case 'map':
      return 'MAP<STRING, STRING>';
    case 'array':
      return `ARRAY<${hiveType(t.of)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map(([n, f]) => `${n}: ${hiveType(f)}`).join(', ')}>`;
  }
}

/** DuckDB `json_transform` structure text of a column type. */
export function duckStructure(t: ColumnType): unknown {
  switch (t.kind) {
    case 'string':
    case 'boolean':
    case 'json':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return [duckStructure(t.of)];
    case 'struct':
      return Object.fromEntries(t.fields.map(([n, f]) => [n, duckStructure(f)]));
  }
}
