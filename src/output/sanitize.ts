// Log fields are attacker-controlled. Before any of them reaches a terminal,
// every control character (C0, DEL, C1 — which includes the 8-bit CSI and OSC
// introducers) and every bidirectional override is replaced by a visible
// escape, so no escape sequence, carriage return or reordering survives.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// JSON.stringify already escapes C0 controls; C1 controls, line/paragraph
// separators and bidi overrides are valid raw in JSON but not harmless on a
// terminal, so NDJSON escapes them too (still the same JSON value).
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
