// Who an event's caller is (`actor`) and which IAM user it is about
// (`target`), as hits and context timelines show them.

import type { CloudTrailEvent } from '../model.js';

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Who acted: `userIdentity.userName`, else the ARN, principal id, invoking service or identity type. */
export function actorOf(identity: unknown): string | null {
  if (typeof identity !== 'object' || identity === null) return null;
  const id = identity as Record<string, unknown>;
  return stringOr(id.userName) ?? stringOr(id.arn) ?? stringOr(id.principalId) ?? stringOr(id.invokedBy) ?? stringOr(id.type);
}

const VIRTUAL_MFA = /^arn:aws[a-z-]*:iam::\d{12}:mfa\/(?:[^/]*\/)*([^/]+)$/;

/**
 * The IAM user an event is about (the hit's `target`): the signing-in user of
 * a console sign-in (`<root_account>` for root, as the credential report
 * names it); else the user an IAM call names (`requestParameters.userName`,
 * or the name of the virtual MFA device it names or creates); else, for an IAM call, the IAM user who made it (IAM acts on the caller
 * when the call names nobody). Null when nothing names a user.
 */
export function targetOf(event: CloudTrailEvent): string | null {
  const identity = (typeof event.userIdentity === 'object' && event.userIdentity !== null ? event.userIdentity : {}) as Record<string, unknown>;
  if (stringOr(event.eventName)?.toLowerCase() === 'consolelogin') {
    if (stringOr(identity.type) === 'Root') return '<root_account>';
    return stringOr(identity.userName);
  }
  const params = event.requestParameters;
  if (typeof params === 'object' && params !== null) {
    const named = stringOr((params as Record<string, unknown>).userName);
    if (named !== null) return named;
    // DeleteVirtualMFADevice names only the device: a virtual device's ARN ends
    // in its name, which the console sets to its user's name.
    const device = VIRTUAL_MFA.exec(stringOr((params as Record<string, unknown>).serialNumber) ?? '');
    if (device) return device[1]!;
    // CreateVirtualMFADevice names the new device, which the console names after its user.
    const created = stringOr((params as Record<string, unknown>).virtualMFADeviceName);
    if (created !== null && stringOr(event.eventName) === 'CreateVirtualMFADevice') return created;
  }
  if (stringOr(event.eventSource)?.toLowerCase() === 'iam.amazonaws.com' && stringOr(identity.type) === 'IAMUser') {
    return stringOr(identity.userName);
  }
  return null;
}

