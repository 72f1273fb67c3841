import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { colorEnabled, shortArn, table } from '../../src/output/table.js';
import { contextEvent, hit, LONG_ROLE_ARN, variedHits } from './hits.js';

/** Lines as a terminal shows them: colour codes take no columns. */
const lines = (out: string) => out.replace(/\n$/, '').split('\n');
const widest = (out: string) => Math.max(...lines(out).map((l) => stringWidth(l)));
const header = (out: string) => lines(out)[0]!.split(/\s{2,}/);

describe('table: fits the terminal', () => {
  for (const width of [40, 60, 80, 100, 120, 160, 200]) {
    it(`at ${width} columns, every hit is one line and no line is wider`, () => {
      const hits = variedHits();
      const out = table(hits, { width });
      expect(lines(out)).toHaveLength(hits.length + 1);
      expect(widest(out)).toBeLessThanOrEqual(width);
    });
  }

  it('holds with colour on too (colour codes take no columns)', () => {
    const out = table(variedHits(), { width: 80, color: true });
    expect(out).toContain('\x1b[');
    expect(widest(out)).toBeLessThanOrEqual(80);
  });

  it('is 80 columns when the width is unknown', () => {
    const out = table(variedHits(), {});
    expect(widest(out)).toBeLessThanOrEqual(80);
    expect(widest(out)).toBeGreaterThan(60);
  });

  it('drops low-priority columns first: account, region and eventName only when there is room', () => {
    // At 80 columns the rule and its target stay whole rather than six columns cut to a few letters.
    expect(header(table(variedHits(), { width: 80 }))).toEqual(['time', 'rule', 'target']);
    expect(table(variedHits(), { width: 80 })).toContain('aws-iam-user-password-without-mfa');
    expect(header(table(variedHits(), { width: 140 }))).toEqual(['time', 'rule', 'target', 'actor', 'source IP', 'count']);
    const wide = header(table(variedHits(), { width: 1000 }));
    expect(wide).toEqual(['time', 'rule', 'severity', 'target', 'actor', 'source IP', 'count', 'account', 'region', 'eventName']);
  });

  it('leaves out the title: it repeats the rule', () => {
    expect(table([hit()], { width: 400 })).not.toContain('Unsuccessful console sign-ins');
  });

  it('does not let one huge field squeeze every other column', () => {
    const out = table(variedHits(), { width: 200 });
    expect(out).toContain('assumed-role/PlatformAdmin/ops.kim');
    expect(out).toContain('aws-iam-user-password-without-mfa');
    expect(widest(out)).toBeLessThanOrEqual(200);
  });

  it('shortens ARNs to their meaningful tail', () => {
    const out = table(variedHits().slice(0, 2), { width: 200 });
    expect(out).toContain('assumed-role/PlatformAdmin/ops.kim');
    expect(out).toContain('user/maria.garcia');
    expect(out).not.toContain('arn:aws:');
  });

  it('keeps the session name of a 113-character assumed-role ARN at 80 columns', () => {
    expect(LONG_ROLE_ARN).toHaveLength(113);
    const out = table([hit({ actor: LONG_ROLE_ARN })], { width: 80 });
    expect(widest(out)).toBeLessThanOrEqual(80);
    const row = lines(out)[1]!;
    // The end of the session name stays; the account and the role's long name go first.
    expect(row).toMatch(/ …\S*@example\.com( |$)/);
    expect(row).not.toContain('arn:aws');
    // With a little more room, the role's start comes back before the session name.
    const at120 = lines(table([hit({ actor: LONG_ROLE_ARN })], { width: 120 }))[1]!;
    expect(at120).toMatch(/assumed-role\/AWS\S*…\/jane\.doe12@example\.com/);
  });

  it('cuts other long cells with …', () => {
    const out = table([hit({ rule: 'r'.repeat(300) })], { width: 80 });
    expect(lines(out)[1]).toMatch(/r+…/);
  });

  it('shows the actor where a hit has no target, and no target column when none has one', () => {
    const mixed = table([hit({ target: 'bob', actor: 'alice' }), hit({ actor: 'carol' })], { width: 120 });
    expect(header(mixed)).toContain('target');
    expect(lines(mixed)[2]).toMatch(/carol\s+carol/);
    expect(header(table([hit()], { width: 120 }))).not.toContain('target');
  });

  it('shows (posture) for hits without a time', () => {
    const out = table(variedHits(), { width: 80 });
    expect(lines(out).at(-1)).toMatch(/^\(posture\)\s+aws-iam-u\S*\s+deploy-bot/);
  });

  it('prints every cell whole with wide, even past the width', () => {
    const out = table([hit({ actor: LONG_ROLE_ARN, title: 'T' })], { width: 80, wide: true });
    expect(out).toContain(LONG_ROLE_ARN);
    expect(widest(out)).toBeGreaterThan(80);
    expect(lines(out)).toHaveLength(2);
  });

  it('says so in one short line when there are no hits', () => {
    expect(table([], { width: 80 })).toBe('No hits.\n');
  });
});

describe('table: display columns, not string length', () => {
  it('counts a CJK character as two columns', () => {
    const out = table([hit({ actor: '東京都'.repeat(30) })], { width: 80 });
    expect(widest(out)).toBeLessThanOrEqual(80);
    // String length would let twice as many through.
    expect(lines(out)[1]).toMatch(/東京都.*…/);
  });

  it('counts an escape written by forTerminal as the columns it prints', () => {
    const out = table([hit({ actor: '\u001b'.repeat(100) })], { width: 80 });
    expect(lines(out)[1]).toContain('\\x1b');
    expect(widest(out)).toBeLessThanOrEqual(80);
  });

  it('renders 20,000 CJK characters in a field in one line, in linear time', () => {
    const huge = '漢'.repeat(20_000);
    const hits = Array.from({ length: 50 }, () => hit({ actor: huge, rule: huge, sourceIPAddress: huge }));
    const out = table(hits, { width: 120 });
    expect(lines(out)).toHaveLength(51);
    expect(widest(out)).toBeLessThanOrEqual(120);
    const whole = table(hits.slice(0, 1), { width: 120, wide: true });
    expect(whole).toContain(huge);
  });
});

describe('table: attacker-controlled text', () => {
  it('reaches the terminal with every control and bidi character escaped, rule names included', () => {
    for (const width of [80, 400]) {
      const out = table(variedHits(), { width, wide: width > 200 });
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(out).toContain('x\\x1b[2J');
    }
  });

  it('escapes context events too', () => {
    const out = table([hit({ context: [contextEvent({ eventName: 'Evil\u001b]0;t\u0007', actor: 'a\u202eb' })] })], { width: 80 });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain('Evil\\x1b]0;t\\x07');
  });
});

describe('table: context timeline', () => {
  const withContext = hit({
    context: [
      contextEvent({ time: '2026-10-06T09:10:00Z', eventName: 'GetCallerIdentity', eventID: 'c1' }),
      contextEvent({ time: '2026-10-06T09:12:05Z', eventName: 'ConsoleLogin', eventID: 'e1', inHit: true, errorCode: 'Failed authentication' }),
      contextEvent({
        time: '2026-10-06T09:30:00Z',
        eventName: 'DeactivateMFADevice',
        actor: LONG_ROLE_ARN,
        target: 'arn:aws:iam::111122223333:user/maria.garcia',
        eventID: 'c2',
      }),
    ],
  });

  it('prints one indented line per context event under its hit, the hit’s own marked', () => {
    const out = lines(table([withContext, hit({ time: '2026-10-07T00:00:00Z' })], { width: 120 }));
    expect(out).toHaveLength(1 + 1 + 3 + 1);
    expect(out[2]).toMatch(/^ {2}- 2026-10-06T09:10:00Z {2}GetCallerIdentity/);
    expect(out[3]).toMatch(/^ {2}\* 2026-10-06T09:12:05Z {2}ConsoleLogin .*Failed authentication/);
    expect(out[4]).toContain('→ user/maria.garcia');
    expect(out[5]).toMatch(/^2026-10-07T00:00:00Z/);
  });

  it('keeps every context line within the width', () => {
    for (const width of [40, 80]) expect(widest(table([withContext], { width }))).toBeLessThanOrEqual(width);
  });
});

describe('table: colour', () => {
  it('paints severity: critical and high red, medium yellow, low and informational dim', () => {
    const row = (severity: string) => lines(table([hit({ severity })], { width: 200, color: true }))[1]!;
    expect(row('critical')).toContain('\x1b[31mcritical\x1b[0m');
    expect(row('high')).toContain('\x1b[31mhigh\x1b[0m');
    expect(row('medium')).toContain('\x1b[33mmedium\x1b[0m');
    expect(row('low')).toContain('\x1b[2mlow\x1b[0m');
    expect(row('informational')).toContain('\x1b[2minformational\x1b[0m');
  });

  it('paints the rule instead when the severity column did not fit', () => {
    const row = lines(table([hit({ severity: 'high' })], { width: 80, color: true }))[1]!;
    expect(row).toMatch(/\x1b\[31maws-console-login[^\x1b]*\x1b\[0m/);
  });

  it('writes no escape sequence at all without colour', () => {
    expect(table(variedHits(), { width: 200 })).not.toContain('\x1b');
  });
});

describe('colorEnabled', () => {
  it('follows the terminal by default', () => {
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({}, false)).toBe(false);
  });

  it('turns colour off with a non-empty NO_COLOR, and ignores an empty one', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true);
  });

  it('lets FORCE_COLOR decide when set, even off a terminal or with NO_COLOR', () => {
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false' }, true)).toBe(false);
  });

  it('turns colour off on a dumb terminal', () => {
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(false);
  });
});

describe('shortArn', () => {
  it('keeps the resource part of an ARN and leaves other text alone', () => {
    expect(shortArn('arn:aws:sts::111122223333:assumed-role/PlatformAdmin/ops.kim')).toBe('assumed-role/PlatformAdmin/ops.kim');
    expect(shortArn('arn:aws:iam::111122223333:user/maria.garcia')).toBe('user/maria.garcia');
    expect(shortArn('arn:aws:iam::111122223333:root')).toBe('root');
    expect(shortArn('maria.garcia')).toBe('maria.garcia');
  });
});
