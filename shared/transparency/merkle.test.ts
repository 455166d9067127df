import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytesStrict } from '../encoding/hex';
import {
  MerkleFrontier,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const unhex = (hex: string): Uint8Array => (hex === '' ? new Uint8Array(0) : hexToBytesStrict(hex, 'vector'));

// The RFC 6962 reference leaves, tree heads and proofs that Certificate Transparency's and
// transparency-dev's Merkle packages test against (values only).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex).map(leafHash);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CONSISTENCY = [
  { first: 2, second: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { first: 6, second: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { first: 2, second: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

describe('RFC 6962 Merkle trees', () => {
  it('gives the published root for every size of the reference tree', () => {
    expect(bytesToHex(emptyRoot())).toBe(ROOTS[0]);
    for (let size = 0; size <= LEAVES.length; size++) expect(bytesToHex(rootOf(LEAVES.slice(0, size)))).toBe(ROOTS[size]);
  });

  it('makes and verifies the published audit paths', () => {
    for (const { index, size, proof } of INCLUSION) {
      const tree = LEAVES.slice(0, size);
      expect(inclusionProof(tree, index).map(bytesToHex)).toEqual(proof);
      expect(verifyInclusion(LEAVES[index]!, index, size, proof.map(unhex), unhex(ROOTS[size]!))).toBe(true);
    }
  });

  it('makes and verifies the published consistency proofs', () => {
    for (const { first, second, proof } of CONSISTENCY) {
      expect(consistencyProof(LEAVES.slice(0, second), first).map(bytesToHex)).toEqual(proof);
      expect(verifyConsistency(first, second, unhex(ROOTS[first]!), unhex(ROOTS[second]!), proof.map(unhex))).toBe(true);
      expect(verifyConsistency(first, second, unhex(ROOTS[first - 1]!), unhex(ROOTS[second]!), proof.map(unhex))).toBe(false);
    }
  });

  const many = Array.from({ length: 40 }, (_, i) => leafHash(new Uint8Array([i, (i * 7) & 0xff])));

  it('proves every leaf of every tree size, and refuses a wrong index, leaf or path', () => {
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      const root = rootOf(tree);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(tree, index);
        expect(verifyInclusion(tree[index]!, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(leafHash(new Uint8Array([255])), index, size, proof, root)).toBe(false);
        if (size > 1) {
          expect(verifyInclusion(tree[index]!, (index + 1) % size, size, proof, root)).toBe(false);
          const bent = proof.map((hash, at) => (at === 0 ? leafHash(hash) : hash));
          expect(verifyInclusion(tree[index]!, index, size, bent, root)).toBe(false);
          expect(verifyInclusion(tree[index]!, index, size, proof.slice(1), root)).toBe(false);
        }
      }
      expect(verifyInclusion(tree[0]!, size, size, [], root)).toBe(false);
    }
  });

  it('proves every prefix consistent with every extension, and refuses a rewritten history', () => {
    for (let second = 1; second <= 24; second++) {
      const tree = many.slice(0, second);
      const newRoot = rootOf(tree);
      for (let first = 1; first <= second; first++) {
        const oldRoot = rootOf(tree, 0, first);
        const proof = consistencyProof(tree, first);
        expect(verifyConsistency(first, second, oldRoot, newRoot, proof)).toBe(true);
        if (first < second) {
          const rewritten = [...tree];
          rewritten[first - 1] = leafHash(new Uint8Array([254]));
          expect(verifyConsistency(first, second, oldRoot, rootOf(rewritten), consistencyProof(rewritten, first))).toBe(false);
          expect(verifyConsistency(first, second, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
          expect(verifyConsistency(second, first, newRoot, oldRoot, proof)).toBe(false);
        }
      }
    }
  });

  it('keeps a frontier that agrees with the full tree and survives being saved and restored', () => {
    const frontier = new MerkleFrontier();
    for (let size = 1; size <= many.length; size++) {
      frontier.append(many[size - 1]!);
      expect(bytesToHex(frontier.root())).toBe(bytesToHex(rootOf(many.slice(0, size))));
      const restored = MerkleFrontier.restore(frontier.size, frontier.subtreeRoots);
      expect(bytesToHex(restored.root())).toBe(bytesToHex(frontier.root()));
    }
    expect(() => MerkleFrontier.restore(7, frontier.subtreeRoots)).toThrow(/does not fit/);
  });
});
