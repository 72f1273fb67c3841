// A seeded generator of CloudTrail logs in the real S3 key layout.
//
// Everything here is a pure function of its seed: no Math.random, no clock.
// The same config gives the same keys and the same records, so the bundled
// `samples/` corpus is reproducible and a benchmark can regenerate gigabytes
// on demand instead of storing them.
//
// Three layers, each usable on its own:
//   * a PRNG (`createRng`) and identity helpers (`iamUser`, `assumedRole`, ...);
//   * event builders: `consoleLogin`, `createUser`, `enableMFADevice`, ... for
//     tests that need fixtures, and `noiseEvent` for realistic background;
//   * `generateCorpus`, which plans log files per account and region, plants
//     given records into them, and yields gzipped log and digest objects.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One CloudTrail record. Built with `eventVersion` as its first key. */
export type CloudTrailRecord = Record<string, unknown>;

/* ------------------------------------------------------------------ PRNG */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Random characters from an alphabet. */
  chars(n: number, alphabet: string): string;
  alnum(n: number): string;
  upperAlnum(n: number): string;
  hex(n: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
  /** An independent generator derived from this one's seed and a label. */
  fork(label: string): Rng;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A 32-bit seed from any string (the first four bytes of its SHA-256). */
export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** mulberry32: tiny, fast, and good enough for synthetic logs. */
export function createRng(seed: number | string): Rng {
  const base = typeof seed === 'string' ? seedOf(seed) : seed >>> 0;
  let a = base;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const chars = (n: number, alphabet: string): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  const hex = (n: number): string => chars(n, HEX);
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chars,
    alnum: (n) => chars(n, ALNUM),
    upperAlnum: (n) => chars(n, UPPER_ALNUM),
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`,
    fork: (label) => createRng(seedOf(`${base}/${label}`)),
  };
}

/** A UUID-shaped string derived from text (for records built without an Rng). */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stable IAM-style ids (AIDA…, AROA…, AKIA…) derived from a name. */
export function iamId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('/')).digest();
  let s = prefix;
  for (let i = 0; s.length < prefix.length + 16; i++) s += UPPER_ALNUM[digest[i]! % UPPER_ALNUM.length];
  return s;
}

/* ----------------------------------------------------------------- times */

export type TimeLike = string | number | Date;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function toMs(t: TimeLike): number {
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();
  if (!Number.isFinite(ms)) throw new Error(`not a time: ${String(t)}`);
  return ms;
}

/** CloudTrail's `eventTime` format: ISO 8601, UTC, whole seconds, `Z`. */
export function isoSeconds(t: TimeLike): string {
  return new Date(toMs(t)).toISOString().slice(0, 19) + 'Z';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `Oct 5, 2026, 3:30:10 PM` format CloudTrail uses inside responseElements. */
export function responseDate(t: TimeLike): string {
  const d = new Date(toMs(t));
  const h = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 || 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `YYYYMMDDTHHmmZ` (log file names) or `YYYYMMDDTHHmmssZ` (digest file names). */
function compactTime(ms: number, seconds: boolean): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${seconds ? s.slice(17, 19) : ''}Z`;
}

function dayFolder(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 4)}/${s.slice(5, 7)}/${s.slice(8, 10)}`;
}

/* ------------------------------------------------------------ identities */

export interface IamUserActor {
  type: 'IAMUser';
  account: string;
  userName: string;
  /** API calls carry it; console sign-ins carry none. Default: derived from the name. */
  accessKeyId?: string;
}
export interface AssumedRoleActor {
  type: 'AssumedRole';
  account: string;
  roleName: string;
  sessionName: string;
  mfaAuthenticated?: boolean;
}
export interface RootActor {
  type: 'Root';
  account: string;
}
export interface ServiceActor {
  type: 'AWSService';
  /** e.g. `lambda.amazonaws.com`. */
  service: string;
}
export type Actor = IamUserActor | AssumedRoleActor | RootActor | ServiceActor;

export const iamUser = (account: string, userName: string, accessKeyId?: string): IamUserActor =>
  accessKeyId === undefined ? { type: 'IAMUser', account, userName } : { type: 'IAMUser', account, userName, accessKeyId };
export const assumedRole = (account: string, roleName: string, sessionName: string, mfaAuthenticated = false): AssumedRoleActor => ({
  type: 'AssumedRole',
  account,
  roleName,
  sessionName,
  mfaAuthenticated,
});
export const rootUser = (account: string): RootActor => ({ type: 'Root', account });
export const awsService = (service: string): ServiceActor => ({ type: 'AWSService', service });

export const userArn = (account: string, userName: string): string => `arn:aws:iam::${account}:user/${userName}`;
export const roleArn = (account: string, roleName: string): string => `arn:aws:iam::${account}:role/${roleName}`;
export const mfaArn = (account: string, deviceName: string): string => `arn:aws:iam::${account}:mfa/${deviceName}`;

/** The account an actor belongs to (services have none). */
function actorAccount(actor: Actor): string | undefined {
  return actor.type === 'AWSService' ? undefined : actor.account;
}

function actorArn(actor: Actor): string {
  switch (actor.type) {
    case 'IAMUser':
      return userArn(actor.account, actor.userName);
    case 'AssumedRole':
      return `arn:aws:sts::${actor.account}:assumed-role/${actor.roleName}/${actor.sessionName}`;
    case 'Root':
      return `arn:aws:iam::${actor.account}:root`;
    case 'AWSService':
      return actor.service;
  }
}

interface IdentityOptions {
  /** Console sign-ins carry `accessKeyId: ""` and no session. */
  signIn?: boolean;
  /** An API call from a console session (temporary `ASIA` key, sessionContext). */
  consoleSession?: { creationDate: string; mfa: boolean };
  rng?: Rng;
}

function userIdentity(actor: Actor, time: number, o: IdentityOptions = {}): Record<string, unknown> {
  switch (actor.type) {
    case 'AWSService':
      return { type: 'AWSService', invokedBy: actor.service };
    case 'Root': {
      const id: Record<string, unknown> = { type: 'Root', principalId: actor.account, arn: actorArn(actor), accountId: actor.account, accessKeyId: '' };
      return id;
    }
    case 'IAMUser': {
      const id: Record<string, unknown> = {
        type: 'IAMUser',
        principalId: iamId('AIDA', actor.account, actor.userName),
        arn: actorArn(actor),
        accountId: actor.account,
        accessKeyId: o.signIn ? '' : o.consoleSession ? iamId('ASIA', actor.account, actor.userName, o.consoleSession.creationDate) : actor.accessKeyId ?? iamId('AKIA', actor.account, actor.userName),
        userName: actor.userName,
      };
      if (o.consoleSession) {
        id.sessionContext = { attributes: { creationDate: o.consoleSession.creationDate, mfaAuthenticated: String(o.consoleSession.mfa) } };
      }
      return id;
    }
    case 'AssumedRole': {
      const roleId = iamId('AROA', actor.account, actor.roleName);
      const created = isoSeconds(Math.floor((time - ((o.rng?.int(50) ?? 7) + 1) * MINUTE) / 1000) * 1000);
      const id: Record<string, unknown> = {
        type: 'AssumedRole',
        principalId: `${roleId}:${actor.sessionName}`,
        arn: actorArn(actor),
        accountId: actor.account,
      };
      if (!o.signIn) id.accessKeyId = o.rng ? 'ASIA' + o.rng.upperAlnum(16) : iamId('ASIA', actor.account, actor.roleName, actor.sessionName);
      id.sessionContext = {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn(actor.account, actor.roleName), accountId: actor.account, userName: actor.roleName },
        webIdFederationData: {},
        attributes: { creationDate: created, mfaAuthenticated: String(actor.mfaAuthenticated ?? false) },
      };
      return id;
    }
  }
}

/* --------------------------------------------------------- event building */

/** Options every event builder takes. */
export interface EventOptions {
  time: TimeLike;
  /** Default: us-east-1 (where IAM and most console sign-ins are recorded). */
  region?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** Default: drawn from `rng`, else derived from the record's content. */
  eventID?: string;
  requestID?: string;
  /** A failed call: `AccessDenied`, `NoSuchEntity`, ... */
  errorCode?: string;
  errorMessage?: string;
  eventVersion?: '1.08' | '1.09';
  /** When given, ids come from it; otherwise the same options give the same ids. */
  rng?: Rng;
}

export const USER_AGENTS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:131.0) Gecko/20100101 Firefox/131.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  cli: 'aws-cli/2.17.52 md/awscrt#0.21.5 ua/2.0 os/linux#6.8.0-1015-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off',
  boto3: 'Boto3/1.35.24 md/Botocore#1.35.24 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.24',
  jsSdk: 'aws-sdk-js/3.654.0 ua/2.1 os/linux#5.10.225-213.878.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/s3#3.654.0 m/E,G',
  goSdk: 'aws-sdk-go-v2/1.31.0 ua/2.1 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.4 m/E',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.6 (+https://www.terraform.io) terraform-provider-aws/5.69.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.31.0 ua/2.1 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/iam#1.36.3',
  console: 'AWS Internal',
} as const;

interface RecordParts {
  actor: Actor;
  time: number;
  eventSource: string;
  eventName: string;
  region: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: unknown;
  requestID?: string;
  eventID?: string;
  readOnly: boolean;
  resources?: unknown[];
  eventType?: string;
  managementEvent?: boolean;
  recipientAccountId: string;
  eventCategory?: string;
  tlsHost?: string | null;
  identity?: IdentityOptions;
  eventVersion?: string;
  extra?: Record<string, unknown>;
  rng?: Rng;
}

const TLS_CIPHERS = [
  ['TLSv1.3', 'TLS_AES_128_GCM_SHA256'],
  ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
  ['TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'],
] as const;

/** Assembles a record in CloudTrail's own key order, `eventVersion` first. */
function assemble(p: RecordParts): CloudTrailRecord {
  const rng = p.rng;
  const r: CloudTrailRecord = {
    eventVersion: p.eventVersion ?? (rng ? (rng.chance(0.3) ? '1.09' : '1.08') : '1.08'),
    userIdentity: userIdentity(p.actor, p.time, { ...p.identity, ...(rng ? { rng } : {}) }),
    eventTime: isoSeconds(p.time),
    eventSource: p.eventSource,
    eventName: p.eventName,
    awsRegion: p.region,
    sourceIPAddress: p.sourceIPAddress,
    userAgent: p.userAgent,
  };
  if (p.errorCode !== undefined) {
    r.errorCode = p.errorCode;
    if (p.errorMessage !== undefined) r.errorMessage = p.errorMessage;
  } else if (p.errorMessage !== undefined) {
    r.errorMessage = p.errorMessage;
  }
  r.requestParameters = p.requestParameters;
  r.responseElements = p.responseElements;
  if (p.additionalEventData !== undefined) r.additionalEventData = p.additionalEventData;
  r.requestID = p.requestID ?? (rng ? rng.uuid() : '');
  r.eventID = p.eventID ?? '';
  r.readOnly = p.readOnly;
  if (p.resources !== undefined) r.resources = p.resources;
  r.eventType = p.eventType ?? 'AwsApiCall';
  r.managementEvent = p.managementEvent ?? true;
  r.recipientAccountId = p.recipientAccountId;
  if (p.extra) Object.assign(r, p.extra);
  r.eventCategory = p.eventCategory ?? 'Management';
  if (p.tlsHost) {
    const [tlsVersion, cipherSuite] = rng ? rng.pick(TLS_CIPHERS) : TLS_CIPHERS[0];
    r.tlsDetails = { tlsVersion, cipherSuite, clientProvidedHostHeader: p.tlsHost };
  }
  if (!r.requestID) r.requestID = uuidFrom(`request/${JSON.stringify(r)}`);
  if (!r.eventID) r.eventID = rng ? rng.uuid() : uuidFrom(`event/${JSON.stringify(r)}`);
  return r;
}

/* -------------------------------------------------------- console sign-in */

export interface ConsoleLoginOptions extends EventOptions {
  actor: IamUserActor | RootActor | AssumedRoleActor;
  /** Default true. A failure carries `errorMessage: "Failed authentication"`. */
  success?: boolean;
  /** `MFAUsed` Yes/No; `null` leaves the key out. Default false. */
  mfaUsed?: boolean | null;
  /** Spelling of `MFAUsed` (real logs carry `Yes` and `YES`). */
  mfaUsedText?: string;
  /** Default when MFA was used: the user's (or root's) virtual device ARN. */
  mfaIdentifier?: string;
  /** A SAML federated sign-in. */
  samlProviderArn?: string;
  loginTo?: string;
}

/** `signin.amazonaws.com` `ConsoleLogin`, success or failure, with or without MFA. */
export function consoleLogin(o: ConsoleLoginOptions): CloudTrailRecord {
  const success = o.success ?? true;
  const mfa = o.mfaUsed === undefined ? false : o.mfaUsed;
  const account = o.actor.account;
  const region = o.region ?? 'us-east-1';
  const additional: Record<string, unknown> = {
    LoginTo: o.loginTo ?? `https://${region}.console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&region=${region}&state=hashArgsFromTB_${region}_${iamId('', account, 'state').toLowerCase()}`,
    MobileVersion: 'No',
  };
  if (mfa === true) {
    const device = o.actor.type === 'IAMUser' ? o.actor.userName : o.actor.type === 'Root' ? 'root-account-mfa-device' : o.actor.sessionName;
    additional.MFAIdentifier = o.mfaIdentifier ?? mfaArn(account, device);
  }
  if (mfa !== null) additional.MFAUsed = o.mfaUsedText ?? (mfa ? 'Yes' : 'No');
  if (o.samlProviderArn !== undefined) additional.SamlProviderArn = o.samlProviderArn;
  return assemble({
    actor: o.actor,
    time: toMs(o.time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    region,
    sourceIPAddress: o.sourceIPAddress ?? '192.0.2.10',
    userAgent: o.userAgent ?? USER_AGENTS.chrome,
    ...(success ? {} : { errorMessage: o.errorMessage ?? 'Failed authentication' }),
    ...(o.errorCode !== undefined ? { errorCode: o.errorCode } : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: additional,
    ...(o.requestID !== undefined ? { requestID: o.requestID } : {}),
    ...(o.eventID !== undefined ? { eventID: o.eventID } : {}),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: account,
    tlsHost: `${region}.signin.aws.amazon.com`,
    identity: { signIn: true },
    ...(o.eventVersion !== undefined ? { eventVersion: o.eventVersion } : {}),
    ...(o.rng ? { rng: o.rng } : {}),
  });
}

export interface FederatedLoginOptions extends EventOptions {
  account: string;
  roleName: string;
  /** The federated identity, e.g. an e-mail address. */
  sessionName: string;
  samlProviderArn?: string;
  mfaUsed?: boolean;
  success?: boolean;
}

/** A SAML federated console sign-in: an `AssumedRole` carrying `SamlProviderArn`. */
export function federatedConsoleLogin(o: FederatedLoginOptions): CloudTrailRecord {
  return consoleLogin({
    ...o,
    actor: assumedRole(o.account, o.roleName, o.sessionName, o.mfaUsed ?? false),
    samlProviderArn: o.samlProviderArn ?? `arn:aws:iam::${o.account}:saml-provider/Okta`,
    mfaUsed: o.mfaUsed ?? false,
  });
}

/* ----------------------------------------------------------- IAM changes */

export interface IamCallOptions extends EventOptions {
  actor: Actor;
  /** The user acted on. Left out of requestParameters when undefined (the call then acts on its caller). */
  userName?: string;
}

function deniedMessage(actor: Actor, action: string, userName: string | undefined): string {
  const who = actorArn(actor);
  const resource = userName !== undefined ? `user ${userName}` : who;
  return `User: ${who} is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`;
}

function iamCall(o: IamCallOptions, eventName: string, requestParameters: Record<string, unknown>, response: unknown): CloudTrailRecord {
  const time = toMs(o.time);
  const account = actorAccount(o.actor);
  if (account === undefined) throw new Error(`${eventName}: an IAM call needs an actor with an account`);
  const failed = o.errorCode !== undefined;
  return assemble({
    actor: o.actor,
    time,
    eventSource: 'iam.amazonaws.com',
    eventName,
    region: o.region ?? 'us-east-1',
    sourceIPAddress: o.sourceIPAddress ?? '192.0.2.20',
    userAgent: o.userAgent ?? USER_AGENTS.cli,
    ...(failed ? { errorCode: o.errorCode, errorMessage: o.errorMessage ?? (o.errorCode === 'AccessDenied' ? deniedMessage(o.actor, eventName, o.userName) : `An error occurred (${o.errorCode}) when calling the ${eventName} operation`) } : {}),
    requestParameters,
    responseElements: failed ? null : response,
    ...(o.requestID !== undefined ? { requestID: o.requestID } : {}),
    ...(o.eventID !== undefined ? { eventID: o.eventID } : {}),
    readOnly: false,
    recipientAccountId: account,
    tlsHost: 'iam.amazonaws.com',
    ...(o.eventVersion !== undefined ? { eventVersion: o.eventVersion } : {}),
    ...(o.rng ? { rng: o.rng } : {}),
  });
}

const withUser = (o: IamCallOptions, rest: Record<string, unknown> = {}): Record<string, unknown> =>
  o.userName === undefined ? rest : { userName: o.userName, ...rest };

export function createUser(o: IamCallOptions & { userName: string; path?: string }): CloudTrailRecord {
  const account = actorAccount(o.actor)!;
  return iamCall(o, 'CreateUser', { userName: o.userName }, {
    user: { path: o.path ?? '/', userName: o.userName, userId: iamId('AIDA', account, o.userName), arn: userArn(account, o.userName), createDate: responseDate(o.time) },
  });
}

export function createLoginProfile(o: IamCallOptions & { passwordResetRequired?: boolean }): CloudTrailRecord {
  const reset = o.passwordResetRequired ?? false;
  return iamCall(o, 'CreateLoginProfile', withUser(o, { passwordResetRequired: reset }), {
    loginProfile: { ...(o.userName !== undefined ? { userName: o.userName } : {}), createDate: responseDate(o.time), passwordResetRequired: reset },
  });
}

export function deleteLoginProfile(o: IamCallOptions): CloudTrailRecord {
  return iamCall(o, 'DeleteLoginProfile', withUser(o), null);
}

export interface MfaDeviceOptions extends IamCallOptions {
  /** Default: the virtual device named after the user. */
  serialNumber?: string;
}

function serialFor(o: MfaDeviceOptions): string {
  if (o.serialNumber !== undefined) return o.serialNumber;
  const account = actorAccount(o.actor)!;
  const name = o.userName ?? (o.actor.type === 'IAMUser' ? o.actor.userName : 'device');
  return mfaArn(account, name);
}

export function createVirtualMFADevice(o: IamCallOptions & { deviceName: string }): CloudTrailRecord {
  const account = actorAccount(o.actor)!;
  return iamCall(o, 'CreateVirtualMFADevice', { virtualMFADeviceName: o.deviceName, path: '/' }, { virtualMFADevice: { serialNumber: mfaArn(account, o.deviceName) } });
}

export function enableMFADevice(o: MfaDeviceOptions): CloudTrailRecord {
  return iamCall(o, 'EnableMFADevice', withUser(o, { serialNumber: serialFor(o) }), null);
}

export function deactivateMFADevice(o: MfaDeviceOptions): CloudTrailRecord {
  return iamCall(o, 'DeactivateMFADevice', withUser(o, { serialNumber: serialFor(o) }), null);
}

export function deleteVirtualMFADevice(o: Omit<MfaDeviceOptions, 'userName'> & { serialNumber: string }): CloudTrailRecord {
  return iamCall(o, 'DeleteVirtualMFADevice', { serialNumber: o.serialNumber }, null);
}

export function deleteUser(o: IamCallOptions & { userName: string }): CloudTrailRecord {
  return iamCall(o, 'DeleteUser', { userName: o.userName }, null);
}

export interface ApiEventOptions extends EventOptions {
  actor: Actor;
  /** e.g. `s3.amazonaws.com`. */
  eventSource: string;
  eventName: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  /** Default: true for Get/List/Describe calls. */
  readOnly?: boolean;
  resources?: unknown[];
  /** A call from a console session of an IAM user (temporary key, sessionContext). */
  consoleSession?: { creationDate: TimeLike; mfa: boolean };
  /** Default: the actor's account. */
  recipientAccountId?: string;
}

/** Any other API call, for fixtures and stories (CreateAccessKey, ListBuckets, ...). */
export function apiEvent(o: ApiEventOptions): CloudTrailRecord {
  const account = o.recipientAccountId ?? actorAccount(o.actor);
  if (account === undefined) throw new Error(`${o.eventName}: give recipientAccountId for a service actor`);
  const service = o.eventSource.replace(/\.amazonaws\.com$/, '');
  const region = o.region ?? 'us-east-1';
  const failed = o.errorCode !== undefined;
  return assemble({
    actor: o.actor,
    time: toMs(o.time),
    eventSource: o.eventSource,
    eventName: o.eventName,
    region,
    sourceIPAddress: o.sourceIPAddress ?? '192.0.2.30',
    userAgent: o.userAgent ?? USER_AGENTS.cli,
    ...(failed ? { errorCode: o.errorCode, errorMessage: o.errorMessage ?? `An error occurred (${o.errorCode}) when calling the ${o.eventName} operation` } : {}),
    requestParameters: o.requestParameters ?? null,
    responseElements: failed ? null : o.responseElements ?? null,
    ...(o.requestID !== undefined ? { requestID: o.requestID } : {}),
    ...(o.eventID !== undefined ? { eventID: o.eventID } : {}),
    readOnly: o.readOnly ?? /^(Get|List|Describe|Head)/.test(o.eventName),
    ...(o.resources !== undefined ? { resources: o.resources } : {}),
    recipientAccountId: account,
    tlsHost: o.actor.type === 'AWSService' ? null : service === 'iam' || service === 's3' ? `${service}.amazonaws.com` : `${service}.${region}.amazonaws.com`,
    ...(o.consoleSession ? { identity: { consoleSession: { creationDate: isoSeconds(o.consoleSession.creationDate), mfa: o.consoleSession.mfa } } } : {}),
    ...(o.eventVersion !== undefined ? { eventVersion: o.eventVersion } : {}),
    ...(o.rng ? { rng: o.rng } : {}),
  });
}

/* ------------------------------------------------------------ background */

/** Who lives in an account, for background noise. */
export interface AccountProfile {
  id: string;
  /** When set, keys go under `AWSLogs/<organizationId>/<id>/`. */
  organizationId?: string;
  /** IAM users who sign in to the console with MFA. */
  consoleUsers: string[];
  /** IAM users with access keys (CI, tools). */
  keyUsers: string[];
  /** Roles assumed by people (sessions) and by workloads. */
  humanRoles: string[];
  workloadRoles: string[];
  buckets: string[];
}

const FIRST = ['alex', 'jordan', 'sam', 'taylor', 'morgan', 'casey', 'riley', 'jamie', 'avery', 'quinn', 'rowan', 'drew'];
const LAST = ['smith', 'chen', 'patel', 'nguyen', 'garcia', 'mueller', 'rossi', 'kowalski', 'silva', 'okafor', 'tanaka', 'dubois'];
const WORKLOADS = ['orders-api', 'billing-worker', 'etl-nightly', 'web-frontend', 'image-resizer', 'search-indexer', 'audit-export', 'metrics-agent'];

/** A plausible population for an account, derived from its id. */
export function defaultProfile(id: string, organizationId?: string): AccountProfile {
  const rng = createRng(`profile/${id}`);
  const people = new Set<string>();
  while (people.size < 6) people.add(`${rng.pick(FIRST)}.${rng.pick(LAST)}`);
  const names = [...people];
  const tag = rng.hex(6);
  return {
    id,
    ...(organizationId !== undefined ? { organizationId } : {}),
    consoleUsers: names.slice(0, 4),
    keyUsers: ['ci-deployer', 'terraform'],
    humanRoles: ['AdministratorAccess', 'ReadOnly', 'Developer'],
    workloadRoles: WORKLOADS.slice(0, 5).map((w) => `${w}-role`),
    buckets: [`logs-${tag}-${id}`, `assets-${tag}`, `data-lake-${tag}`, `backups-${id}`],
  };
}

const PUBLIC_IPS = ['198.51.100.', '203.0.113.', '192.0.2.'];
const KEY_WORDS = ['orders', 'invoices', 'exports', 'thumbnails', 'raw', 'curated', 'reports', 'tmp'];
const EXTENSIONS = ['json', 'parquet', 'csv.gz', 'png', 'pdf'];

function token(rng: Rng, n: number): string {
  return rng.chars(n, BASE64);
}

function publicIp(rng: Rng): string {
  return rng.pick(PUBLIC_IPS) + rng.between(2, 254);
}

interface NoiseCtx {
  rng: Rng;
  profile: AccountProfile;
  region: string;
  time: number;
}

/** A workload role session (what most API traffic in an account looks like). */
function workloadActor(c: NoiseCtx): AssumedRoleActor {
  const role = c.rng.pick(c.profile.workloadRoles);
  return assumedRole(c.profile.id, role, c.rng.chance(0.5) ? `i-0${c.rng.hex(16)}` : `${role.replace(/-role$/, '')}-${c.rng.hex(8)}`);
}

function humanActor(c: NoiseCtx): AssumedRoleActor | IamUserActor {
  if (c.rng.chance(0.25) && c.profile.keyUsers.length > 0) return iamUser(c.profile.id, c.rng.pick(c.profile.keyUsers));
  const who = c.rng.pick(c.profile.consoleUsers.length > 0 ? c.profile.consoleUsers : ['operator']);
  return assumedRole(c.profile.id, c.rng.pick(c.profile.humanRoles), who, true);
}

function callerIp(c: NoiseCtx, actor: Actor): string {
  if (actor.type === 'AssumedRole' && !actor.mfaAuthenticated) return `10.${c.rng.int(8)}.${c.rng.int(256)}.${c.rng.between(4, 250)}`;
  return publicIp(c.rng);
}

function callerAgent(c: NoiseCtx, actor: Actor): string {
  if (actor.type === 'IAMUser') return c.rng.chance(0.5) ? USER_AGENTS.terraform : USER_AGENTS.cli;
  if (actor.type === 'AssumedRole' && actor.mfaAuthenticated) return c.rng.pick([USER_AGENTS.console, USER_AGENTS.cli, USER_AGENTS.chrome]);
  return c.rng.pick([USER_AGENTS.boto3, USER_AGENTS.jsSdk, USER_AGENTS.goSdk]);
}

function apiCall(c: NoiseCtx, actor: Actor, service: string, eventName: string, requestParameters: unknown, extra: Partial<RecordParts> = {}): CloudTrailRecord {
  const global = service === 'iam';
  const host = `${service}.${global ? '' : c.region + '.'}amazonaws.com`;
  const viaService = actor.type === 'AWSService';
  return assemble({
    actor,
    time: c.time,
    eventSource: `${service}.amazonaws.com`,
    eventName,
    region: global ? 'us-east-1' : c.region,
    sourceIPAddress: viaService ? actor.service : callerIp(c, actor),
    userAgent: viaService ? actor.service : callerAgent(c, actor),
    requestParameters,
    responseElements: null,
    readOnly: true,
    recipientAccountId: c.profile.id,
    tlsHost: viaService ? null : host,
    rng: c.rng,
    ...extra,
  });
}

function assumeRoleEvent(c: NoiseCtx): CloudTrailRecord {
  const { rng, profile } = c;
  const service = rng.chance(0.6);
  const role = rng.pick(service ? profile.workloadRoles : profile.humanRoles);
  const actor: Actor = service ? awsService(rng.pick(['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'])) : humanActor(c);
  const session = service ? `${role.replace(/-role$/, '')}-${rng.hex(8)}` : actor.type === 'AssumedRole' ? actor.sessionName : (actor as IamUserActor).userName;
  const roleId = iamId('AROA', profile.id, role);
  const arn = roleArn(profile.id, role);
  return apiCall(c, actor, 'sts', 'AssumeRole', { roleArn: arn, roleSessionName: session, durationSeconds: 3600 }, {
    responseElements: {
      credentials: { accessKeyId: 'ASIA' + rng.upperAlnum(16), sessionToken: token(rng, 140), expiration: responseDate(c.time + HOUR) },
      assumedRoleUser: { assumedRoleId: `${roleId}:${session}`, arn: `arn:aws:sts::${profile.id}:assumed-role/${role}/${session}` },
    },
    resources: [{ accountId: profile.id, type: 'AWS::IAM::Role', ARN: arn }],
  });
}

function s3ObjectEvent(c: NoiseCtx, put: boolean): CloudTrailRecord {
  const { rng, profile, region } = c;
  const bucket = rng.pick(profile.buckets);
  const key = `${rng.pick(KEY_WORDS)}/${rng.hex(10)}.${rng.pick(EXTENSIONS)}`;
  const actor = rng.chance(0.85) ? workloadActor(c) : humanActor(c);
  const size = rng.between(300, 4_000_000);
  return apiCall(c, actor, 's3', put ? 'PutObject' : 'GetObject', { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key }, {
    responseElements: put ? { 'x-amz-server-side-encryption': 'AES256', 'x-amz-version-id': rng.alnum(32) } : null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: put ? size : 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': token(rng, 76),
      bytesTransferredOut: put ? 0 : size,
    },
    requestID: rng.upperAlnum(16),
    readOnly: !put,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: profile.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    managementEvent: false,
    eventCategory: 'Data',
    tlsHost: `${bucket}.s3.${region}.amazonaws.com`,
  });
}

type NoiseKind = (c: NoiseCtx) => CloudTrailRecord;

const readEvents: NoiseKind[] = [
  (c) => apiCall(c, workloadActor(c), 'ec2', 'DescribeInstances', { instancesSet: {}, filterSet: { items: [{ name: 'tag:Name', valueSet: { items: [{ value: c.rng.pick(WORKLOADS) }] } }] } }),
  (c) => apiCall(c, humanActor(c), 'ec2', 'DescribeSecurityGroups', { securityGroupSet: {}, securityGroupIdSet: { items: [{ groupId: `sg-0${c.rng.hex(16)}` }] }, filterSet: {} }),
  (c) => apiCall(c, workloadActor(c), 'logs', 'DescribeLogStreams', { logGroupName: `/aws/lambda/${c.rng.pick(WORKLOADS)}`, orderBy: 'LastEventTime', descending: true, limit: 50 }),
  (c) => apiCall(c, workloadActor(c), 'ssm', 'GetParameter', { name: `/${c.rng.pick(WORKLOADS)}/${c.rng.pick(['db-url', 'api-endpoint', 'feature-flags'])}`, withDecryption: true }),
  (c) => apiCall(c, workloadActor(c), 'secretsmanager', 'GetSecretValue', { secretId: `arn:aws:secretsmanager:${c.region}:${c.profile.id}:secret:${c.rng.pick(WORKLOADS)}/db-${c.rng.alnum(6)}` }),
  (c) => apiCall(c, workloadActor(c), 'sts', 'GetCallerIdentity', null),
  (c) => apiCall(c, humanActor(c), 'lambda', 'ListFunctions20150331', { maxItems: 50, functionVersion: 'ALL' }),
  (c) => apiCall(c, workloadActor(c), 'dynamodb', 'DescribeTable', { tableName: `${c.rng.pick(WORKLOADS)}-${c.rng.pick(['sessions', 'state', 'locks'])}` }),
  (c) => apiCall(c, workloadActor(c), 'ecr', 'GetAuthorizationToken', null, { responseElements: null }),
  (c) => apiCall(c, humanActor(c), 's3', 'ListBuckets', { Host: `s3.${c.region}.amazonaws.com` }),
  (c) => {
    const kms = `arn:aws:kms:${c.region}:${c.profile.id}:key/${c.rng.uuid()}`;
    return apiCall(c, awsService(c.rng.pick(['s3.amazonaws.com', 'secretsmanager.amazonaws.com', 'lambda.amazonaws.com'])), 'kms', 'Decrypt', { keyId: kms, encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:${c.region}:${c.profile.id}:function:${c.rng.pick(WORKLOADS)}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, {
      resources: [{ accountId: c.profile.id, type: 'AWS::KMS::Key', ARN: kms }],
      extra: { sharedEventID: c.rng.uuid() },
    });
  },
];

/** IAM reads whose names contain words the rules look for, yet must not fire. */
const iamReadEvents: NoiseKind[] = [
  (c) => apiCall(c, humanActor(c), 'iam', 'ListMFADevices', { userName: c.rng.pick([...c.profile.consoleUsers, ...c.profile.keyUsers]) }),
  (c) => {
    const user = c.rng.pick([...c.profile.consoleUsers, ...c.profile.keyUsers]);
    const noPassword = c.profile.keyUsers.includes(user);
    return apiCall(c, humanActor(c), 'iam', 'GetLoginProfile', { userName: user }, noPassword ? { errorCode: 'NoSuchEntityException', errorMessage: `Login Profile for User ${user} cannot be found.` } : {});
  },
  (c) => apiCall(c, humanActor(c), 'iam', 'ListUsers', { maxItems: 100 }),
  (c) => apiCall(c, humanActor(c), 'iam', 'GetUser', { userName: c.rng.pick(c.profile.consoleUsers.length > 0 ? c.profile.consoleUsers : c.profile.keyUsers) }),
  (c) => apiCall(c, humanActor(c), 'iam', 'GetAccountSummary', null),
];

const writeEvents: NoiseKind[] = [
  (c) => apiCall(c, workloadActor(c), 'logs', 'CreateLogStream', { logGroupName: `/aws/lambda/${c.rng.pick(WORKLOADS)}`, logStreamName: `2026/10/05/[$LATEST]${c.rng.hex(32)}` }, { readOnly: false }),
  (c) => apiCall(c, humanActor(c), 'ec2', 'CreateTags', { resourcesSet: { items: [{ resourceId: `i-0${c.rng.hex(16)}` }] }, tagSet: { items: [{ key: 'owner', value: c.rng.pick(WORKLOADS) }] } }, { readOnly: false, responseElements: { requestId: c.rng.uuid(), _return: true } }),
  (c) => apiCall(c, workloadActor(c), 'kms', 'GenerateDataKey', { keyId: `alias/${c.rng.pick(WORKLOADS)}`, keySpec: 'AES_256' }, { readOnly: true }),
];

/** Rare IAM writes that no bundled rule is about. */
const iamWriteEvents: NoiseKind[] = [
  (c) => {
    const role = c.rng.pick(c.profile.workloadRoles);
    return apiCall(c, humanActor(c), 'iam', 'PutRolePolicy', { roleName: role, policyName: 'inline-s3-access', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${c.rng.pick(c.profile.buckets)}/*`] }] }) }, { readOnly: false });
  },
  (c) => apiCall(c, humanActor(c), 'iam', 'AttachRolePolicy', { roleName: c.rng.pick(c.profile.workloadRoles), policyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess' }, { readOnly: false }),
  (c) => apiCall(c, humanActor(c), 'iam', 'TagRole', { roleName: c.rng.pick(c.profile.workloadRoles), tags: [{ key: 'cost-center', value: String(c.rng.between(100, 999)) }] }, { readOnly: false }),
];

function signInEvent(c: NoiseCtx): CloudTrailRecord {
  const { rng, profile } = c;
  const user = rng.pick(profile.consoleUsers);
  const fail = rng.chance(0.3);
  return consoleLogin({
    actor: iamUser(profile.id, user),
    time: c.time,
    region: c.region,
    success: !fail,
    // A mistyped password fails before the MFA step: MFAUsed is No.
    mfaUsed: !fail,
    sourceIPAddress: publicIp(rng),
    userAgent: rng.pick([USER_AGENTS.chrome, USER_AGENTS.firefox, USER_AGENTS.safari]),
    rng,
  });
}

interface Weighted {
  weight: number;
  make: NoiseKind;
  global?: boolean;
}

const NOISE: Weighted[] = [
  { weight: 24, make: assumeRoleEvent },
  { weight: 18, make: (c) => s3ObjectEvent(c, false) },
  { weight: 9, make: (c) => s3ObjectEvent(c, true) },
  ...readEvents.map((make) => ({ weight: 3, make })),
  ...iamReadEvents.map((make) => ({ weight: 1.2, make, global: true })),
  ...writeEvents.map((make) => ({ weight: 2, make })),
  ...iamWriteEvents.map((make) => ({ weight: 0.15, make, global: true })),
  { weight: 1.2, make: signInEvent },
];
const NOISE_TOTAL = NOISE.reduce((s, w) => s + w.weight, 0);

/**
 * One realistic background event of an account at a time, recorded in `region`.
 * IAM events are global: outside us-east-1 another kind is drawn in their place.
 */
export function noiseEvent(rng: Rng, profile: AccountProfile, region: string, time: TimeLike): CloudTrailRecord {
  const c: NoiseCtx = { rng, profile, region, time: toMs(time) };
  for (;;) {
    let x = rng.next() * NOISE_TOTAL;
    let kind = NOISE[NOISE.length - 1]!;
    for (const w of NOISE) {
      x -= w.weight;
      if (x < 0) {
        kind = w;
        break;
      }
    }
    if (kind.global && region !== 'us-east-1') continue;
    if (kind.make === signInEvent && profile.consoleUsers.length === 0) continue;
    return kind.make(c);
  }
}

/* ------------------------------------------------------------ key layout */

/** The log key layout; groups: org, account, region, YYYY, MM, DD, account, region, delivery, id. */
export const LOG_KEY_RE =
  /^AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z]{2}(?:-[a-z]+)+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$/;

export const DIGEST_KEY_RE =
  /^AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail-Digest\/([a-z]{2}(?:-[a-z]+)+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail-Digest_\3_([A-Za-z0-9_.-]+)_\3_(\d{8}T\d{6}Z)\.json\.gz$/;

function accountPrefix(account: string, organizationId?: string): string {
  return organizationId !== undefined ? `AWSLogs/${organizationId}/${account}` : `AWSLogs/${account}`;
}

export function logKey(account: string, region: string, deliveredMs: number, id: string, organizationId?: string): string {
  return `${accountPrefix(account, organizationId)}/CloudTrail/${region}/${dayFolder(deliveredMs)}/${account}_CloudTrail_${region}_${compactTime(deliveredMs, false)}_${id}.json.gz`;
}

export function digestKey(account: string, region: string, trailName: string, endMs: number, organizationId?: string): string {
  return `${accountPrefix(account, organizationId)}/CloudTrail-Digest/${region}/${dayFolder(endMs)}/${account}_CloudTrail-Digest_${region}_${trailName}_${region}_${compactTime(endMs, true)}.json.gz`;
}

/**
 * Gzip with a fixed header: zlib writes mtime 0, but the OS byte depends on
 * the platform zlib was built for; pin it to Unix so the bytes match everywhere.
 */
export function gzipFixed(data: Buffer, level = 6): Buffer {
  const gz = gzipSync(data, { level });
  gz[9] = 3;
  return gz;
}

/** `{"Records":[...]}` exactly as CloudTrail writes it: no whitespace. */
export function recordsBody(records: readonly CloudTrailRecord[]): Buffer {
  return Buffer.from(`{"Records":[${records.map((r) => JSON.stringify(r)).join(',')}]}`);
}

/* --------------------------------------------------------------- corpus */

export interface HourContext {
  account: string;
  region: string;
  /** Start of the hour, epoch ms. */
  hourMs: number;
}

export type Count = number | readonly [number, number] | ((ctx: HourContext, rng: Rng) => number);

/** A record to plant into the corpus; its account and region come from the record. */
export interface Planted {
  record: CloudTrailRecord;
  /** How many log files carry it (CloudTrail sometimes delivers an event twice). Default 1. */
  copies?: number;
}

export interface CorpusConfig {
  seed: number | string;
  /** Account ids or full profiles. */
  accounts: readonly (string | AccountProfile)[];
  regions: readonly string[];
  /** First day (UTC), e.g. `2026-10-05`. */
  start: string;
  days: number;
  /** Applies to accounts given as plain ids. */
  organizationId?: string;
  /** Log files delivered per account, region and hour. Default 4. */
  filesPerHour?: Count;
  /** Background records per file. Default [20, 40]. */
  recordsPerFile?: Count;
  planted?: readonly Planted[];
  /** Write hourly digest files (all streams, or those the predicate picks). Default false. */
  digests?: boolean | ((account: string, region: string) => boolean);
  trailName?: string;
  bucket?: string;
  /** zlib level for the objects. Default 6 (what S3 clients usually see). */
  gzipLevel?: number;
}

export interface CorpusObject {
  key: string;
  kind: 'log' | 'digest';
  /** Gzipped bytes. */
  body: Buffer;
  /** Uncompressed size. */
  rawBytes: number;
  records: number;
  /** eventIDs of planted records in this object. */
  planted: string[];
}

interface FilePlan {
  deliveredMs: number;
  windowStart: number;
  windowEnd: number;
  noise: number;
  seed: number;
  id: string;
  planted: CloudTrailRecord[];
}

function resolveCount(count: Count, ctx: HourContext, rng: Rng): number {
  if (typeof count === 'number') return count;
  if (typeof count === 'function') return Math.max(0, Math.floor(count(ctx, rng)));
  return rng.between(count[0], count[1]);
}

function profileOf(a: string | AccountProfile, organizationId: string | undefined): AccountProfile {
  return typeof a === 'string' ? defaultProfile(a, organizationId) : a;
}

/** Plans the log files of one account and region: delivery times, windows, planted records. */
function planStream(cfg: CorpusConfig, profile: AccountProfile, region: string, planted: readonly Planted[]): FilePlan[] {
  const rng = createRng(`${cfg.seed}/plan/${profile.id}/${region}`);
  const startMs = Date.parse(`${cfg.start}T00:00:00Z`);
  const endMs = startMs + cfg.days * DAY;
  const files: FilePlan[] = [];
  const newFile = (deliveredMs: number, windowStart: number, windowEnd: number, noise: number): FilePlan => {
    const f = { deliveredMs, windowStart, windowEnd, noise, seed: rng.int(2 ** 32), id: rng.alnum(16), planted: [] };
    files.push(f);
    return f;
  };
  for (let hourMs = startMs; hourMs < endMs; hourMs += HOUR) {
    const ctx = { account: profile.id, region, hourMs };
    const n = resolveCount(cfg.filesPerHour ?? 4, ctx, rng);
    const slot = Math.floor(60 / Math.max(n, 1));
    for (let j = 0; j < n; j++) {
      // Delivered every few minutes; events are 1-4 minutes older than the
      // delivery and span at most ~11 minutes.
      const deliveredMs = hourMs + ((j + 1) * slot + rng.int(3)) * MINUTE;
      const windowEnd = Math.min(deliveredMs - rng.between(1, 4) * MINUTE, endMs - 1000);
      const windowStart = Math.max(windowEnd - Math.min(slot, 10) * MINUTE + 1000, startMs);
      newFile(deliveredMs, windowStart, windowEnd, resolveCount(cfg.recordsPerFile ?? [20, 40], ctx, rng));
    }
  }
  // Plant in time order: into a file whose window covers the event, else a
  // file of its own a few minutes later; a second copy goes to another file.
  const sorted = [...planted].sort((a, b) => toMs(a.record.eventTime as string) - toMs(b.record.eventTime as string));
  for (const p of sorted) {
    const t = toMs(p.record.eventTime as string);
    const holders: FilePlan[] = [];
    for (let copy = 0; copy < (p.copies ?? 1); copy++) {
      let f = files.find((x) => x.windowStart <= t && t <= x.windowEnd && !holders.includes(x));
      if (!f) {
        // A file of its own, with a little background from the minutes before.
        // A redelivered copy comes later; every file stays within ~15 minutes of its events.
        const lag = copy === 0 ? rng.between(2, 6) : rng.between(8, 11);
        const deliveredMs = Math.ceil((t + lag * MINUTE) / MINUTE) * MINUTE;
        f = newFile(deliveredMs, Math.max(t - 3 * MINUTE, startMs), t, rng.between(1, 3));
      }
      f.planted.push(p.record);
      holders.push(f);
    }
  }
  files.sort((a, b) => a.deliveredMs - b.deliveredMs || (a.id < b.id ? -1 : 1));
  return files;
}

function renderFile(f: FilePlan, profile: AccountProfile, region: string): CloudTrailRecord[] {
  const rng = createRng(f.seed);
  const times: number[] = [];
  const span = f.windowEnd - f.windowStart;
  for (let i = 0; i < f.noise; i++) times.push(f.windowStart + Math.floor(rng.next() * (span + 1) / 1000) * 1000);
  times.sort((a, b) => a - b);
  const records = times.map((t) => noiseEvent(rng, profile, region, t));
  for (const r of f.planted) {
    const t = toMs(r.eventTime as string);
    let at = records.findIndex((x) => toMs(x.eventTime as string) > t);
    if (at < 0) at = records.length;
    records.splice(at, 0, r);
  }
  return records;
}

/**
 * Yields the corpus object by object: per account and region, log files in
 * delivery order, each hour's digest after the files it lists. Memory stays
 * at one stream's plan, so this scales to gigabytes.
 */
export function* generateCorpus(cfg: CorpusConfig): Generator<CorpusObject> {
  const profiles = cfg.accounts.map((a) => profileOf(a, cfg.organizationId));
  const level = cfg.gzipLevel ?? 6;
  const trail = cfg.trailName ?? 'management-events';
  const bucket = cfg.bucket ?? 'cloudtrail-logs-bucket';
  const startMs = Date.parse(`${cfg.start}T00:00:00Z`);
  if (!Number.isFinite(startMs)) throw new Error(`bad start day: ${cfg.start}`);
  const streams = new Map<string, Planted[]>();
  for (const p of profiles) for (const r of cfg.regions) streams.set(`${p.id}/${r}`, []);
  for (const p of cfg.planted ?? []) {
    const k = `${String(p.record.recipientAccountId)}/${String(p.record.awsRegion)}`;
    const list = streams.get(k);
    if (!list) throw new Error(`planted record ${String(p.record.eventID)} is for ${k}, which the corpus does not cover`);
    list.push(p);
  }
  for (const profile of profiles) {
    for (const region of cfg.regions) {
      const plan = planStream(cfg, profile, region, streams.get(`${profile.id}/${region}`)!);
      const wantDigest = typeof cfg.digests === 'function' ? cfg.digests(profile.id, region) : cfg.digests === true;
      const drng = createRng(`${cfg.seed}/digest/${profile.id}/${region}`);
      const offset = drng.between(5, 55) * MINUTE + drng.between(0, 59) * 1000;
      let digestStart = startMs + offset - HOUR;
      let previous: { key: string; hash: string; signature: string } | undefined;
      let listed: Record<string, unknown>[] = [];
      const lastDelivery = plan.length > 0 ? plan[plan.length - 1]!.deliveredMs : startMs;
      const digest = function* (): Generator<CorpusObject> {
        const end = digestStart + HOUR;
        const key = digestKey(profile.id, region, trail, end, profile.organizationId);
        const times = listed.flatMap((l) => [l.oldestEventTime as string, l.newestEventTime as string]).sort();
        const doc = {
          awsAccountId: profile.id,
          digestStartTime: isoSeconds(digestStart),
          digestEndTime: isoSeconds(end),
          digestS3Bucket: bucket,
          digestS3Object: key,
          digestPublicKeyFingerprint: drng.hex(32),
          digestSignatureAlgorithm: 'SHA256withRSA',
          newestEventTime: times.length > 0 ? times[times.length - 1] : null,
          oldestEventTime: times.length > 0 ? times[0] : null,
          previousDigestS3Bucket: previous ? bucket : null,
          previousDigestS3Object: previous ? previous.key : null,
          previousDigestHashValue: previous ? previous.hash : null,
          previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
          previousDigestSignature: previous ? previous.signature : null,
          logFiles: listed,
        };
        const raw = Buffer.from(JSON.stringify(doc));
        previous = { key, hash: createHash('sha256').update(raw).digest('hex'), signature: drng.hex(512) };
        listed = [];
        digestStart = end;
        yield { key, kind: 'digest', body: gzipFixed(raw, level), rawBytes: raw.length, records: 0, planted: [] };
      };
      for (const f of plan) {
        while (wantDigest && f.deliveredMs >= digestStart + HOUR) yield* digest();
        const records = renderFile(f, profile, region);
        const raw = recordsBody(records);
        const key = logKey(profile.id, region, f.deliveredMs, f.id, profile.organizationId);
        if (wantDigest && records.length > 0) {
          const times = records.map((r) => r.eventTime as string).sort();
          listed.push({
            s3Bucket: bucket,
            s3Object: key,
            hashValue: createHash('sha256').update(raw).digest('hex'),
            hashAlgorithm: 'SHA-256',
            newestEventTime: times[times.length - 1],
            oldestEventTime: times[0],
          });
        }
        yield {
          key,
          kind: 'log',
          body: gzipFixed(raw, level),
          rawBytes: raw.length,
          records: records.length,
          planted: f.planted.map((r) => String(r.eventID)),
        };
      }
      while (wantDigest && digestStart <= lastDelivery) yield* digest();
    }
  }
}
