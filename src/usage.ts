// yargs' usage errors as one line a person can act on: an unknown flag names
// the nearest known one ("did you mean --source?"), a flag without its value
// says so. yargs suggests only commands (recommendCommands), never options,
// so the nearest option is found here by edit distance (leven).

import leven from 'leven';

/** What yargs knows of a parser's flags (`parser.getOptions()`). */
export interface KnownFlags {
  key: Record<string, unknown>;
  boolean: string[];
  alias: Record<string, string[]>;
}

/** Every spelling a user may type after `--`: names, aliases and `no-` forms of booleans. */
export function flagNames(known: KnownFlags): string[] {
  const names = new Set<string>(Object.keys(known.key));
  for (const aliases of Object.values(known.alias)) for (const a of aliases) names.add(a);
  for (const b of known.boolean) if (b !== 'help' && b !== 'version') names.add(`no-${b}`);
  return [...names].filter((n) => n.length > 1);
}

/**
 * The known flags a mistyped one most likely meant: the nearest by edit
 * distance when it is close for the word's length (a third of it, at least
 * one edit), else the only flag it is the start of. Empty when nothing is
 * close: a wild guess misleads more than no guess.
 */
export function nearestFlags(typed: string, names: readonly string[]): string[] {
  const word = typed.toLowerCase();
  let best = Infinity;
  let nearest: string[] = [];
  for (const name of names) {
    const d = leven(word, name);
    if (d < best) {
      best = d;
      nearest = [name];
    } else if (d === best) {
      nearest.push(name);
    }
  }
  if (best <= Math.max(1, Math.floor(word.length / 3)) && nearest.length <= 3) return nearest.sort();
  const starts = word.length >= 3 ? names.filter((n) => n.startsWith(word)) : [];
  return starts.length === 1 ? starts : [];
}

function didYouMean(typed: string, names: readonly string[], command: string): string {
  const near = nearestFlags(typed, names);
  return near.length > 0 ? `did you mean ${near.map((n) => `--${n}`).join(' or ')}?` : `${command} --help lists the flags`;
}

/**
 * One line for a yargs failure message, using the command line to tell a
 * mistyped flag (`--sourc`), a long flag with one dash (`-source`) and a
 * stray word (`hunt samples`) apart. Other messages are only joined onto one
 * line, with yargs' wording made to name the flag as typed.
 */
export function usageLine(message: string, argv: readonly string[], known: KnownFlags, command = 'hunt'): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message.trim());
  if (unknown) {
    const names = flagNames(known);
    const reported = new Set(unknown[1]!.split(', '));
    for (const token of argv) {
      if (token === '--') break;
      const long = /^--([^=]+)/.exec(token);
      if (long) {
        const name = long[1]!;
        // yargs reads `--no-x` as x=false and reports `x`.
        if (reported.has(name) || (name.startsWith('no-') && reported.has(name.slice(3)))) {
          return `unknown flag --${name} — ${didYouMean(name, names, command)}`;
        }
        continue;
      }
      const single = /^-([^-=][^=]*)/.exec(token);
      if (single && single[1]!.length > 1 && [...single[1]!].some((c) => reported.has(c))) {
        const near = nearestFlags(single[1]!, names);
        return `unknown flag ${token}: long flags take two dashes${near.length > 0 ? ` — did you mean ${near.map((n) => `--${n}`).join(' or ')}?` : ''}`;
      }
      if (!token.startsWith('-') && reported.has(token)) {
        return `unexpected argument ${JSON.stringify(token)}: every input is given with a flag — ${command} --help lists them`;
      }
    }
    return `unknown argument(s) ${unknown[1]} — ${command} --help lists the flags`;
  }
  const missing = /^Not enough arguments following: (.+)$/s.exec(message.trim());
  if (missing) return `--${missing[1]!.trim()} needs a value — ${command} --help says what it takes`;
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
