// The stateful rule `iam-user-password-without-mfa` (DESIGN.md, "The stateful
// MFA rule over logs" and "Fine print → The stateful rule"): per account and
// IAM user, replay the user's lifecycle in event-time order and report each
// stretch of time during which the user is known to hold a console password
// and known to have no MFA device. A stretch holds every event of the user
// that the rule reads, from the one that opened it up to (not including) the
// one that ends it: EnableMFADevice, DeleteLoginProfile, DeleteUser, or a
// sign-in with MFA.

import type { Hit } from '../model.js';
import type { StatefulRule } from '../rules/types.js';
import { compareNullableText } from './canonical.js';
import type { DistinctEvent } from './dedup.js';
import { hitOf } from './hit.js';

/** What the logs have shown about one IAM user so far. */
interface UserState {
  /** true/false once a call or a sign-in showed it; null while unknown. */
  password: boolean | null;
  /** Serial numbers (folded) known to be enabled. */
  devices: Set<string>;
  /** The device set is complete: known after CreateUser or a sign-in without MFA. */
  devicesKnown: boolean;
}

/** A user-attributed event: whose it is and what it does to the state. */
interface Step {
  event: DistinctEvent;
  account: string;
  userName: string;
  /** Lower-cased eventName. */
  name: string;
  /** The state after the event, from the state before (null: the user is forgotten). */
  apply: ((s: UserState | undefined) => UserState | undefined) | null;
}

const IAM = 'iam.amazonaws.com';
const SIGNIN = 'signin.amazonaws.com';

/**
 * Same-second events of one user: CloudTrail times have one-second
 * resolution and scripts create a user and its password in the same second,
 * so ties go in the only order IAM allows (a user exists before its password,
 * a password-only sign-in precedes the device enrolment that would block it,
 * a device is removed before the user is deleted), then by eventID.
 */
const LIFECYCLE = new Map<string, number>([
  ['createuser', 0],
  ['createloginprofile', 1],
  ['consolelogin', 2],
  ['enablemfadevice', 3],
  ['deactivatemfadevice', 4],
  ['deleteloginprofile', 5],
  ['deleteuser', 6],
]);

export function statefulHits(rule: StatefulRule, events: readonly DistinctEvent[]): Hit[] {
  const users = new Map<string, Step[]>();
  for (const event of events) {
    if (!event.rules.includes(rule.key)) continue;
    const step = stepOf(event);
    if (!step) continue;
    const key = `${step.account.toLowerCase()}\u0000${step.userName.toLowerCase()}`;
    const list = users.get(key);
    if (list) list.push(step);
    else users.set(key, [step]);
  }
  const hits: Hit[] = [];
  for (const steps of users.values()) {
    steps.sort(
      (a, b) =>
        a.event.view.t - b.event.view.t ||
        rank(a.name) - rank(b.name) ||
        compareNullableText(a.event.view.eventID, b.event.view.eventID),
    );
    // (Events already arrive in a total order; the sort is stable, so remaining ties keep it.)
    let state: UserState | undefined;
    let stretch: Step[] | null = null;
    const close = () => {
      if (!stretch) return;
      const opening = stretch[0]!;
      hits.push(hitOf(rule, stretch.map((s) => s.event), { recipientAccountId: opening.account, userName: opening.userName }));
      stretch = null;
    };
    for (const step of steps) {
      if (step.apply) state = step.apply(state);
      const violating = state !== undefined && state.password === true && state.devicesKnown && state.devices.size === 0;
      if (violating) (stretch ??= []).push(step);
      else close(); // the event that ends a stretch is not part of it
    }
    close(); // a stretch still open at the end of the data is a hit too
  }
  return hits;
}

function rank(name: string): number {
  return LIFECYCLE.get(name) ?? 2;
}

/** The user an event belongs to and its effect, or null when it belongs to no IAM user. */
function stepOf(event: DistinctEvent): Step | null {
  const f = event.view.fields;
  const source = textOf(f['eventSource']) ?? event.view.eventSource;
  const name = (textOf(f['eventName']) ?? event.view.eventName ?? '').toLowerCase();
  const account = textOf(f['recipientAccountId']) ?? event.view.account;
  if (account === null || source === null) return null;
  const failed = f['errorCode'] !== undefined && f['errorCode'] !== null;

  if (source.toLowerCase() === SIGNIN && name === 'consolelogin') {
    if (!isIAMUser(f)) return null; // root and federated identities are not IAM users
    const userName = callerName(f);
    if (userName === null) return null;
    const result = f['responseElements.ConsoleLogin'];
    const success = !failed && matches(result, 'success');
    const federated = f['additionalEventData.SamlProviderArn'] !== undefined && f['additionalEventData.SamlProviderArn'] !== null;
    const withMfa = matches(f['additionalEventData.MFAUsed'], 'yes');
    let apply: Step['apply'] = null;
    if (!federated && !withMfa && success) {
      // IAM demands the device at sign-in when one is assigned: a password-only
      // sign-in proves a password and no device at that moment.
      apply = () => ({ password: true, devices: new Set<string>(), devicesKnown: true });
    } else if (!federated && withMfa && (success || matches(result, 'failure'))) {
      // A sign-in that used MFA, successful or failing at the MFA step, proves
      // that some device is assigned, though not which: the device set is
      // unknown again (no violation) until CreateUser or a sign-in without MFA.
      apply = (s) => ({ ...(s ?? unknownUser()), devices: new Set<string>(), devicesKnown: false });
    }
    return { event, account, userName, name, apply };
  }

  if (source.toLowerCase() !== IAM || !LIFECYCLE.has(name) || name === 'consolelogin') return null;
  const target = f['requestParameters.userName'];
  let userName: string | null;
  if (target === undefined || target === null) {
    // Without a userName, IAM acts on the caller, when the caller is an IAM user.
    userName = isIAMUser(f) ? callerName(f) : null;
  } else {
    userName = typeof target === 'string' && target !== '' ? target : null;
  }
  if (userName === null) return null;
  if (failed) return { event, account, userName, name, apply: null }; // only successful calls change state
  const serial = (textOf(f['requestParameters.serialNumber']) ?? '').toLowerCase();
  const apply = ((): Step['apply'] => {
    switch (name) {
      case 'createuser':
        return () => ({ password: false, devices: new Set(), devicesKnown: true });
      case 'createloginprofile':
        return (s) => ({ ...(s ?? unknownUser()), password: true });
      case 'deleteloginprofile':
        return (s) => ({ ...(s ?? unknownUser()), password: false });
      case 'enablemfadevice':
        return (s) => {
          const before = s ?? unknownUser();
          return { ...before, devices: new Set([...before.devices, serial]) };
        };
      case 'deactivatemfadevice':
        return (s) => {
          const before = s ?? unknownUser();
          const devices = new Set(before.devices);
          devices.delete(serial);
          return { ...before, devices };
        };
      case 'deleteuser':
        return () => undefined;
      default:
        return null;
    }
  })();
  return { event, account, userName, name, apply };
}

function unknownUser(): UserState {
  return { password: null, devices: new Set(), devicesKnown: false };
}

function isIAMUser(f: Record<string, unknown>): boolean {
  return matches(f['userIdentity.type'], 'iamuser');
}

/** The caller's IAM user name: `userIdentity.userName`, else the last part of its user ARN. */
function callerName(f: Record<string, unknown>): string | null {
  const name = f['userIdentity.userName'];
  if (typeof name === 'string' && name !== '') return name;
  const arn = textOf(f['userIdentity.arn']);
  const m = arn === null ? null : /^arn:[^:]*:iam::[^:]*:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1]! : null;
}

/** A string field's value; anything else (numbers, lists, objects: forged or odd logs) is null. */
function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Sigma-style: some scalar in the value equals `lowered`, case-insensitively,
 * as its JSON text. Lists are walked with a stack, not recursion: a forged
 * field can nest lists far deeper than the call stack goes.
 */
function matches(value: unknown, lowered: string): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (typeof v === 'string') {
      if (v.toLowerCase() === lowered) return true;
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      if (String(v).toLowerCase() === lowered) return true;
    }
  }
  return false;
}
