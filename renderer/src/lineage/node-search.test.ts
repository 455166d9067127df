import { describe, expect, it } from 'vitest';
import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import { fileNamePart } from './ImpactPanel';
import { searchIndexOf, searchNodes } from './node-search';

const node = (id: string, name: string): LineageNode => ({ id, kind: 'dataset', name, version: null, subject: null });
const index = searchIndexOf([node('transactions_q1', 'raw transactions Q1'), node('tx_q2', 'Transactions Q2'), node('features_v47', 'feature table v47')]);

describe('searchNodes', () => {
  it('finds names starting with the query first, then names or ids containing it, in any case', () => {
    expect(searchNodes(index, 'TRANS', 10)).toEqual([1, 0]);
    expect(searchNodes(index, 'v47', 10)).toEqual([2]);
    expect(searchNodes(index, 'tx_', 10)).toEqual([1]);
  });

  it('finds nothing for an empty query and stops at the limit', () => {
    expect(searchNodes(index, '  ', 10)).toEqual([]);
    expect(searchNodes(index, 'a', 2)).toHaveLength(2);
  });
});

describe('fileNamePart', () => {
  it('keeps a node id safe to use in a file name', () => {
    expect(fileNamePart('transactions_q1')).toBe('transactions_q1');
    expect(fileNamePart('dataset:s3://bucket/../x')).toBe('dataset_s3___bucket_.._x');
    expect(fileNamePart('..hidden')).toBe('_hidden');
    expect(fileNamePart('')).toBe('node');
  });
});
