import { describe, expect, it } from 'vitest';
import { applyArtifactRules, fnmatch } from './artifact-rules';
import type { Artifacts, Link } from './metadata';

const digest = (text: string) => ({ sha256: Buffer.from(text).toString('hex') });

function link(name: string, materials: Record<string, string>, products: Record<string, string>): Link {
  const artifacts = (files: Record<string, string>): Artifacts => new Map(Object.entries(files).map(([path, content]) => [path, digest(content)]));
  return { name, materials: artifacts(materials), products: artifacts(products), signatures: [], signedBytes: new Uint8Array() };
}

const messages = (violations: { message: string }[]) => violations.map((v) => v.message);

describe('in-toto artifact rules', () => {
  it('matches like Python fnmatch: * crosses slashes, ?, [seq] and [!seq], nothing else is special', () => {
    expect(fnmatch('dir/sub/file.py', '*.py')).toBe(true);
    expect(fnmatch('a.txt', '?.txt')).toBe(true);
    expect(fnmatch('ab.txt', '?.txt')).toBe(false);
    expect(fnmatch('b1', '[abc][0-9]')).toBe(true);
    expect(fnmatch('d1', '[!abc]1')).toBe(true);
    expect(fnmatch('a1', '[!abc]1')).toBe(false);
    expect(fnmatch('a+b(c)', 'a+b(c)')).toBe(true);
    expect(fnmatch('axb', 'a.b')).toBe(false);
  });

  it('applies CREATE, DELETE and MODIFY only to artifacts created, deleted or modified by the step', () => {
    const step = link('edit', { 'keep.txt': 'k', 'gone.txt': 'g', 'edit.txt': 'old' }, { 'keep.txt': 'k', 'edit.txt': 'new', 'made.txt': 'm' });
    const links = new Map([['edit', step]]);
    expect(applyArtifactRules('edit', 'products', [['CREATE', 'made.txt'], ['MODIFY', 'edit.txt'], ['ALLOW', 'keep.txt'], ['DISALLOW', '*']], step, links)).toEqual([]);
    expect(applyArtifactRules('edit', 'materials', [['DELETE', 'gone.txt'], ['ALLOW', '*.txt'], ['DISALLOW', '*']], step, links)).toEqual([]);
    // CREATE does not consume an artifact that was already a material, so DISALLOW * catches it.
    expect(messages(applyArtifactRules('edit', 'products', [['CREATE', '*'], ['DISALLOW', '*']], step, links))).toEqual(['keep.txt, edit.txt are disallowed']);
    expect(messages(applyArtifactRules('edit', 'products', [['MODIFY', '*'], ['DISALLOW', 'keep.txt']], step, links))).toEqual(['keep.txt is disallowed']);
  });

  it('REQUIRE needs the path among the queued artifacts', () => {
    const step = link('s', {}, { 'a.txt': 'a' });
    const links = new Map([['s', step]]);
    expect(applyArtifactRules('s', 'products', [['REQUIRE', 'a.txt']], step, links)).toEqual([]);
    expect(messages(applyArtifactRules('s', 'products', [['REQUIRE', 'b.txt']], step, links))).toEqual(['b.txt is required but not among the products']);
    expect(messages(applyArtifactRules('s', 'products', [['ALLOW', 'a.txt'], ['REQUIRE', 'a.txt']], step, links))).toEqual(['a.txt is required but not among the products']);
  });

  it('MATCH consumes only artifacts with the same digest in the other step, with IN prefixes on either side', () => {
    const fetch = link('fetch', {}, { 'src/app.py': 'code', 'src/lib.py': 'lib' });
    const build = link('build', { 'app.py': 'code', 'lib.py': 'tampered' }, {});
    const links = new Map([['fetch', fetch], ['build', build]]);
    const rules = [['MATCH', '*', 'WITH', 'PRODUCTS', 'IN', 'src', 'FROM', 'fetch'], ['DISALLOW', '*']];
    expect(messages(applyArtifactRules('build', 'materials', rules, build, links))).toEqual(['lib.py is disallowed']);

    const unpack = link('unpack', {}, { 'out/src/app.py': 'code' });
    const both = new Map([['fetch', fetch], ['unpack', unpack]]);
    expect(applyArtifactRules('unpack', 'products', [['MATCH', '*', 'IN', 'out', 'WITH', 'PRODUCTS', 'FROM', 'fetch'], ['DISALLOW', '*']], unpack, both)).toEqual([]);
    // No link for the step named: nothing is consumed.
    expect(messages(applyArtifactRules('unpack', 'products', [['MATCH', '*', 'WITH', 'PRODUCTS', 'FROM', 'absent'], ['DISALLOW', '*']], unpack, both))).toEqual(['out/src/app.py is disallowed']);
  });

  it('reports malformed and unknown rules instead of ignoring them', () => {
    const step = link('s', {}, { 'a.txt': 'a' });
    const links = new Map([['s', step]]);
    expect(applyArtifactRules('s', 'products', [['MATCH', '*', 'FROM', 's'], ['EXECUTE', '*'], ['ALLOW']], step, links)).toHaveLength(3);
  });
});
