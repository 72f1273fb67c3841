// The command line's edges, shared by every command: what the CLI gets from
// the outside world (CliIO), and yargs' parsing with its usage errors as one line a person can act on: an unknown flag names
// the nearest known one ("did you mean --source?"), a flag without its value
// says so. yargs suggests only commands (recommendCommands), never options,
// so the nearest option is found here by edit distance (leven).

import type { AthenaClient } from '@aws-sdk/client-athena';
import leven from 'leven';
import type yargs from 'yargs';
import { UsageError } from './errors.js';

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

/** What the CLI gets from the outside world. */
export interface CliIO {
  /** Data (hits, SQL, DDL, help). Resolves when written. */
  stdout(text: string): Promise<void>;
  /** Status, warnings, errors, the summary. */
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width of stdout, when it is one. */
  columns?: number;
  env: Record<string, string | undefined>;
  /** Now, as epoch ms (durations such as 30d count back from it). */
  nowMs?: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  /** Where progress is drawn (stderr, when a terminal). */
  progressStream?: NodeJS.WriteStream;
  /** Test seams: a wrapped scan worker, a stubbed Athena client. */
  workerUrl?: URL;
  athenaClient?: AthenaClient;
  athenaPollMs?: number;
}

/**
 * Parses with yargs, capturing what it would print (help, version) instead of
 * letting it write to the console; a usage error becomes a UsageError of one
 * line (see usage.ts). A string or number flag given without its value is a
 * usage error rather than an empty string (`--rule` alone used to select
 * nothing, silently).
 */
export function parseWith(parser: ReturnType<typeof yargs>, argv: string[], command = 'hunt'): { parsed: Record<string, unknown>; output: string } {
  let output = '';
  let failure: UsageError | undefined;
  // getOptions is yargs API that its TypeScript types leave out.
  const known = (parser as unknown as { getOptions(): KnownFlags & { string: string[]; number: string[] } }).getOptions();
  const parsed = parser
    .requiresArg([...known.string, ...known.number])
    // English whatever the locale: usageLine reads yargs' messages.
    .detectLocale(false)
    .exitProcess(false)
    .fail((msg, err) => {
      failure = new UsageError(usageLine(err?.message ?? msg, argv, known, command));
    })
    .parseSync(argv, {}, (_err: unknown, _argv: unknown, text: string) => {
      output = text ? `${text}\n` : '';
    }) as Record<string, unknown>;
  if (failure) throw failure;
  return { parsed, output };
}

