// Sigma `condition:` strings: a small tokenizer and a recursive-descent
// parser. Precedence, loosest first: `or` < `and` < `not` < `x of` <
// parentheses. Only what can be evaluated per event is accepted: a `|`
// (old-style aggregation such as `| count() > 5`) and `N of` other than
// `1`/`all` are refused with a reason.

export type ConditionNode =
  | { op: 'or' | 'and'; args: ConditionNode[] }
  | { op: 'not'; arg: ConditionNode }
  | { op: 'ref'; name: string }
  /** `1 of x*` (`quantifier: 'one'`) or `all of x*`; pattern `them` means every identifier not starting with `_`. */
  | { op: 'of'; quantifier: 'one' | 'all'; pattern: string };

/**
 * A condition that cannot be parsed; the caller adds the file and line.
 * `unsupported`: valid Sigma that hunt cannot evaluate (an aggregation, `N of`),
 * as opposed to a condition that is wrong.
 */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

type Token =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'of' | 'them' | 'end'; text: string; at: number }
  | { kind: 'word'; text: string; at: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', text: c, at: i++ });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', text: c, at: i++ });
    } else if (c === '|') {
      throw new ConditionError(
        `'|' at column ${i + 1} starts an old-style aggregation (${JSON.stringify(source.slice(i).trim())}), which hunt cannot evaluate — write it as a Sigma correlation rule (type: event_count) instead`,
        true,
      );
    } else {
      const start = i;
      while (i < source.length && !/[\s()|]/.test(source[i]!)) i++;
      const text = source.slice(start, i);
      const lower = text.toLowerCase();
      if (KEYWORDS.has(lower)) {
        tokens.push({ kind: lower as 'and' | 'or' | 'not' | 'of' | 'them', text, at: start });
      } else {
        tokens.push({ kind: 'word', text, at: start });
      }
    }
  }
  tokens.push({ kind: 'end', text: 'end of condition', at: source.length });
  return tokens;
}

const IDENTIFIER = /^[A-Za-z0-9_\-.*]+$/;

/**
 * How deep parentheses and `not`s may nest. The parser and every walk of the
 * tree (compiler, needles, SQL printers) recurse once per level, so a rule
 * file with thousands of levels would overflow the stack; no real condition
 * comes near this.
 */
export const MAX_CONDITION_DEPTH = 64;

export function parseCondition(source: string): ConditionNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const fail = (token: Token, what: string): never => {
    throw new ConditionError(
      `${what} at column ${token.at + 1} ('${token.text}') in condition ${JSON.stringify(source)} — use identifiers joined by and/or/not, parentheses and '1 of'/'all of'`,
    );
  };

  let depth = 0;
  const deeper = (token: Token): void => {
    if (++depth > MAX_CONDITION_DEPTH) {
      throw new ConditionError(
        `the condition nests parentheses and 'not' deeper than ${MAX_CONDITION_DEPTH} levels (at column ${token.at + 1}) — flatten it, e.g. with '1 of'/'all of' or by removing redundant parentheses and double negations`,
        true,
      );
    }
  };

  const parseOr = (): ConditionNode => {
    const args = [parseAnd()];
    while (peek().kind === 'or') {
      next();
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const parseAnd = (): ConditionNode => {
    const args = [parseNot()];
    while (peek().kind === 'and') {
      next();
      args.push(parseNot());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const parseNot = (): ConditionNode => {
    if (peek().kind === 'not') {
      deeper(next());
      const arg = parseNot();
      depth--;
      return { op: 'not', arg };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const token = next();
    if (token.kind === 'lparen') {
      deeper(token);
      const inner = parseOr();
      if (peek().kind !== 'rparen') fail(peek(), "expected ')'");
      next();
      depth--;
      return inner;
    }
    if (token.kind !== 'word') return fail(token, 'expected an identifier');
    if (peek().kind === 'of') {
      next();
      let quantifier: 'one' | 'all';
      if (token.text === '1') quantifier = 'one';
      else if (token.text.toLowerCase() === 'all') quantifier = 'all';
      else {
        throw new ConditionError(
          `'${token.text} of' in condition ${JSON.stringify(source)} is not supported: hunt evaluates only '1 of' and 'all of' — rewrite it with '1 of', 'all of', and/or`,
          true,
        );
      }
      const target = next();
      if (target.kind === 'them') return { op: 'of', quantifier, pattern: 'them' };
      if (target.kind !== 'word' || !IDENTIFIER.test(target.text)) {
        return fail(target, `expected 'them' or an identifier pattern after '${token.text} of'`);
      }
      return { op: 'of', quantifier, pattern: target.text };
    }
    if (!IDENTIFIER.test(token.text) || token.text.includes('*')) {
      return fail(token, 'expected an identifier (letters, digits, _ - .)');
    }
    return { op: 'ref', name: token.text };
  };

  const tree = parseOr();
  if (peek().kind !== 'end') fail(peek(), 'unexpected token');
  return tree;
}

/** A condition tree as condition text that parses back to the same tree (fully parenthesised). */
export function formatCondition(node: ConditionNode): string {
  switch (node.op) {
    case 'or':
    case 'and':
      return `(${node.args.map(formatCondition).join(` ${node.op} `)})`;
    case 'not':
      return `not ${formatCondition(node.arg)}`;
    case 'ref':
      return node.name;
    case 'of':
      return `${node.quantifier === 'one' ? '1' : 'all'} of ${node.pattern}`;
  }
}
