// What a rule is called in hits: its `name:` slug when it has one. SigmaHQ's
// rules have none, and their ids (UUIDs) say nothing to a responder reading a
// table, so a rule without a name is called by a slug of its title; its id
// only when that slug is taken (see assignKeys in load.ts).

import slugify from '@sindresorhus/slugify';

/**
 * A title is attacker-controlled and unbounded; a name past this many
 * characters helps nobody. Cut at a word boundary where one is near.
 */
const MAX_SLUG = 80;

/**
 * `AWS CloudTrail Important Change` → `aws-cloudtrail-important-change`:
 * lowercase ASCII letters, digits and single dashes. slugify transliterates
 * (`Überprüfung` → `ueberpruefung`, Cyrillic → Latin) where a hand-written
 * NFKD strip would drop letters; `decamelize: false` keeps `CloudTrail` one
 * word. Empty when the title has nothing to spell a name with.
 */
export function titleSlug(title: string): string {
  // Only the start of a long title can end up in the name; slugifying the
  // rest would only cost time.
  const slug = slugify(title.slice(0, MAX_SLUG * 4), { decamelize: false });
  if (slug.length <= MAX_SLUG) return slug;
  const cut = slug.slice(0, MAX_SLUG);
  const dash = cut.lastIndexOf('-');
  return dash >= MAX_SLUG / 2 ? cut.slice(0, dash) : cut.replace(/-+$/, '');
}
