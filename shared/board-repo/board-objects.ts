import type { JsonObject, JsonValue } from '../json/strict-json';
import { isSha256Hex } from '../formats/digest';
import { FormatError } from '../formats/format-error';
import { expectArray, expectNonEmptyString, expectObject, expectSafeNonNegativeInteger, optionalField, requiredField } from '../formats/json-fields';
import { parseKeyId } from '../formats/key-id';
import { IN_TOTO_STATEMENT_V1 } from '../formats/manifest';
import { parseRfc3339Utc } from '../formats/rfc3339';

/**
 * The board's own signed objects, each an in-toto Statement v1 in a DSSE envelope (FORMATS §3)
 * whose one subject is the board itself, named by its genesis policy digest: an object made for
 * one board never counts on another.
 */

export const ENDORSEMENT_PREDICATE_V1 = 'https://countersign.dev/board/endorsement/v1';
export const REVOCATION_PREDICATE_V1 = 'https://countersign.dev/board/revocation/v1';
export const NOTICE_PREDICATE_V1 = 'https://countersign.dev/board/notice/v1';

/** A member's endorsement of `policy` (version `version`) as the successor of `parent`. */
export interface Endorsement {
  kind: 'endorsement';
  board: string;
  policy: string;
  version: number;
  parent: string;
  member: string;
  endorsedAt: string;
}

/** A key's revocation of itself: works when it is lost or stolen, and is never undone. */
export interface Revocation {
  kind: 'revocation';
  board: string;
  key: string;
  revokedAt: string;
  reason: string | null;
}

export type NoticeTarget = { node: string } | { subject: string };

/** A member's notice against a lineage node or a subject digest: it re-opens every release it reaches. */
export interface Notice {
  kind: 'notice';
  board: string;
  target: NoticeTarget;
  reason: string;
  issuedBy: string;
  issuedAt: string;
}

export type BoardObject = Endorsement | Revocation | Notice;

export const MAX_NOTICE_REASON_LENGTH = 2000;

function statement(board: string, predicateType: string, predicate: JsonObject): JsonObject {
  return { _type: IN_TOTO_STATEMENT_V1, subject: [{ name: 'board', digest: { sha256: board } }], predicateType, predicate };
}

export function endorsementStatement(e: Omit<Endorsement, 'kind'>): JsonObject {
  return statement(e.board, ENDORSEMENT_PREDICATE_V1, {
    policy: { sha256: e.policy },
    version: e.version,
    parent: { sha256: e.parent },
    member: e.member,
    endorsedAt: e.endorsedAt,
  });
}

export function revocationStatement(r: Omit<Revocation, 'kind'>): JsonObject {
  return statement(r.board, REVOCATION_PREDICATE_V1, { key: r.key, revokedAt: r.revokedAt, ...(r.reason === null ? {} : { reason: r.reason }) });
}

export function noticeStatement(n: Omit<Notice, 'kind'>): JsonObject {
  const target: JsonObject = 'node' in n.target ? { node: n.target.node } : { subject: { sha256: n.target.subject } };
  return statement(n.board, NOTICE_PREDICATE_V1, { target, reason: n.reason, issuedBy: n.issuedBy, issuedAt: n.issuedAt });
}

function sha256Of(value: JsonValue, path: string): string {
  const object = expectObject(value, path);
  const keys = Object.keys(object);
  const hex = object['sha256'];
  if (keys.length !== 1 || typeof hex !== 'string' || !isSha256Hex(hex)) throw new FormatError(path, 'expected {"sha256": "<64 lowercase hex>"}');
  return hex;
}

/** Reads a verified payload as one of the board's objects; the predicate type says which. */
export function parseBoardObject(value: JsonValue): BoardObject {
  const root = expectObject(value, '$');
  if (requiredField(root, '_type', '$') !== IN_TOTO_STATEMENT_V1) throw new FormatError('$._type', `expected ${IN_TOTO_STATEMENT_V1}`);
  const subjects = expectArray(requiredField(root, 'subject', '$'), '$.subject');
  const subject = subjects.length === 1 ? expectObject(subjects[0]!, '$.subject[0]') : null;
  if (subject === null || subject['name'] !== 'board') throw new FormatError('$.subject', 'a board object names exactly one subject, "board"');
  const board = sha256Of(requiredField(subject, 'digest', '$.subject[0]'), '$.subject[0].digest');
  const predicate = expectObject(requiredField(root, 'predicate', '$'), '$.predicate');
  const field = (key: string) => requiredField(predicate, key, '$.predicate');
  switch (requiredField(root, 'predicateType', '$')) {
    case ENDORSEMENT_PREDICATE_V1:
      return {
        kind: 'endorsement',
        board,
        policy: sha256Of(field('policy'), '$.predicate.policy'),
        version: expectSafeNonNegativeInteger(field('version'), '$.predicate.version', 2),
        parent: sha256Of(field('parent'), '$.predicate.parent'),
        member: parseKeyId(field('member'), '$.predicate.member'),
        endorsedAt: parseRfc3339Utc(field('endorsedAt'), '$.predicate.endorsedAt'),
      };
    case REVOCATION_PREDICATE_V1: {
      const reason = optionalField(predicate, 'reason');
      return {
        kind: 'revocation',
        board,
        key: parseKeyId(field('key'), '$.predicate.key'),
        revokedAt: parseRfc3339Utc(field('revokedAt'), '$.predicate.revokedAt'),
        reason: reason === undefined ? null : expectNonEmptyString(reason, '$.predicate.reason'),
      };
    }
    case NOTICE_PREDICATE_V1: {
      const target = expectObject(field('target'), '$.predicate.target');
      const node = optionalField(target, 'node');
      const subjectDigest = optionalField(target, 'subject');
      if ((node === undefined) === (subjectDigest === undefined) || Object.keys(target).length !== 1) {
        throw new FormatError('$.predicate.target', 'a notice targets either a lineage node or a subject digest');
      }
      const reason = expectNonEmptyString(field('reason'), '$.predicate.reason');
      if (reason.length > MAX_NOTICE_REASON_LENGTH) throw new FormatError('$.predicate.reason', `longer than ${MAX_NOTICE_REASON_LENGTH} characters`);
      return {
        kind: 'notice',
        board,
        target: node !== undefined ? { node: expectNonEmptyString(node, '$.predicate.target.node') } : { subject: sha256Of(subjectDigest!, '$.predicate.target.subject') },
        reason,
        issuedBy: parseKeyId(field('issuedBy'), '$.predicate.issuedBy'),
        issuedAt: parseRfc3339Utc(field('issuedAt'), '$.predicate.issuedAt'),
      };
    }
    default:
      throw new FormatError('$.predicateType', 'not a board object this version understands');
  }
}
