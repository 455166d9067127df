import type { ArtifactRule, Artifacts, Link } from './metadata';

export interface RuleViolation {
  step: string;
  list: 'materials' | 'products';
  rule: string;
  message: string;
}

/**
 * Applies a step's expected_materials or expected_products as in-toto v0.9 does: every artifact
 * of the list is queued; each rule in order consumes the queued artifacts it matches (MATCH,
 * ALLOW, CREATE, DELETE, MODIFY), fails on one (DISALLOW) or requires a path in the queue
 * (REQUIRE). Artifacts left after the last rule are allowed (layouts end with DISALLOW * to refuse them).
 * @param links the verified link of each step, by step name, for MATCH ... FROM.
 */
export function applyArtifactRules(
  step: string,
  list: 'materials' | 'products',
  rules: readonly ArtifactRule[],
  link: Link,
  links: ReadonlyMap<string, Link>,
): RuleViolation[] {
  const artifacts = list === 'materials' ? link.materials : link.products;
  const created = new Set([...link.products.keys()].filter((path) => !link.materials.has(path)));
  const deleted = new Set([...link.materials.keys()].filter((path) => !link.products.has(path)));
  const modified = new Set([...link.products.keys()].filter((path) => link.materials.has(path) && !sameDigests(link.materials.get(path)!, link.products.get(path)!)));
  const queue = new Set(artifacts.keys());
  const violations: RuleViolation[] = [];
  const violation = (rule: ArtifactRule, message: string) => violations.push({ step, list, rule: rule.join(' '), message });

  for (const rule of rules) {
    const [verb, pattern] = rule;
    const upper = verb?.toUpperCase();
    if (pattern === undefined || upper === undefined) {
      violation(rule, 'the rule is malformed');
      continue;
    }
    const matching = [...queue].filter((path) => fnmatch(path, pattern));
    switch (upper) {
      case 'ALLOW':
        if (rule.length !== 2) violation(rule, 'ALLOW takes one pattern');
        else for (const path of matching) queue.delete(path);
        break;
      case 'DISALLOW':
        if (rule.length !== 2) violation(rule, 'DISALLOW takes one pattern');
        else if (matching.length > 0) violation(rule, `${describe(matching)} ${matching.length === 1 ? 'is' : 'are'} disallowed`);
        break;
      case 'REQUIRE':
        if (rule.length !== 2) violation(rule, 'REQUIRE takes one path');
        else if (!queue.has(pattern)) violation(rule, `${pattern} is required but not among the ${list}`);
        break;
      case 'CREATE':
      case 'DELETE':
      case 'MODIFY': {
        if (rule.length !== 2) {
          violation(rule, `${upper} takes one pattern`);
          break;
        }
        const kind = upper === 'CREATE' ? created : upper === 'DELETE' ? deleted : modified;
        for (const path of matching) if (kind.has(path)) queue.delete(path);
        break;
      }
      case 'MATCH': {
        const parsed = parseMatch(rule);
        if (parsed === null) {
          violation(rule, 'expected MATCH <pattern> [IN <prefix>] WITH MATERIALS|PRODUCTS [IN <prefix>] FROM <step>');
          break;
        }
        for (const path of matchConsumed(parsed, queue, artifacts, links)) queue.delete(path);
        break;
      }
      default:
        violation(rule, `unknown rule ${verb}`);
    }
  }
  return violations;
}

interface MatchRule {
  pattern: string;
  sourcePrefix: string | null;
  destinationList: 'materials' | 'products';
  destinationPrefix: string | null;
  destinationStep: string;
}

function parseMatch(rule: ArtifactRule): MatchRule | null {
  const words = [...rule];
  let index = 2;
  let sourcePrefix: string | null = null;
  if (words[index]?.toUpperCase() === 'IN') {
    sourcePrefix = words[index + 1] ?? null;
    if (sourcePrefix === null) return null;
    index += 2;
  }
  if (words[index]?.toUpperCase() !== 'WITH') return null;
  const list = words[index + 1]?.toUpperCase();
  if (list !== 'MATERIALS' && list !== 'PRODUCTS') return null;
  index += 2;
  let destinationPrefix: string | null = null;
  if (words[index]?.toUpperCase() === 'IN') {
    destinationPrefix = words[index + 1] ?? null;
    if (destinationPrefix === null) return null;
    index += 2;
  }
  if (words[index]?.toUpperCase() !== 'FROM' || words[index + 1] === undefined || index + 2 !== words.length) return null;
  return { pattern: words[1]!, sourcePrefix, destinationList: list === 'MATERIALS' ? 'materials' : 'products', destinationPrefix, destinationStep: words[index + 1]! };
}

/** Queued artifacts that the destination step recorded under the same (prefixed) path with the same digests. */
function matchConsumed(rule: MatchRule, queue: ReadonlySet<string>, source: Artifacts, links: ReadonlyMap<string, Link>): string[] {
  const destination = links.get(rule.destinationStep);
  if (destination === undefined) return [];
  const destinationArtifacts = rule.destinationList === 'materials' ? destination.materials : destination.products;
  const sourcePrefix = rule.sourcePrefix === null ? null : trimSlashes(rule.sourcePrefix);
  const fullPattern = sourcePrefix === null || sourcePrefix === '' ? rule.pattern : `${sourcePrefix}/${rule.pattern}`;
  const consumed: string[] = [];
  for (const path of queue) {
    if (!fnmatch(path, fullPattern)) continue;
    let relative = path;
    if (sourcePrefix !== null && sourcePrefix !== '') {
      if (!path.startsWith(`${sourcePrefix}/`)) continue;
      relative = path.slice(sourcePrefix.length + 1);
    }
    const destinationPrefix = rule.destinationPrefix === null ? '' : trimSlashes(rule.destinationPrefix);
    const destinationPath = destinationPrefix === '' ? relative : `${destinationPrefix}/${relative}`;
    const expected = destinationArtifacts.get(destinationPath);
    if (expected !== undefined && sameDigests(source.get(path)!, expected)) consumed.push(path);
  }
  return consumed;
}

function trimSlashes(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

function sameDigests(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function describe(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** Python's fnmatch.fnmatchcase: `*` matches anything (slashes too), `?` one character, `[seq]`, `[!seq]`. */
export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchRegExp(pattern).test(name);
}

const compiled = new Map<string, RegExp>();

function fnmatchRegExp(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '[') {
      const end = pattern.indexOf(']', pattern[i + 1] === '!' ? i + 3 : i + 2);
      if (end === -1) source += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        source += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/^\^/, '\\^')}]`;
        i = end;
      }
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regExp = new RegExp(`^${source}$`, 'u');
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, regExp);
  return regExp;
}
