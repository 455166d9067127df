import type { JsonObject, JsonValue } from '../json/strict-json';
import { jsonPathChild } from '../json/json-path';
import { isKnownDigestAlgorithm, parseDigestSet } from '../formats/digest';
import { FormatError } from '../formats/format-error';
import {
  collectUnknownFields,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectString,
  optionalField,
  requiredField,
} from '../formats/json-fields';
import { parseKeyId } from '../formats/key-id';
import { IN_TOTO_STATEMENT_V1 } from '../formats/manifest';
import { parseRfc3339Utc, rfc3339ToEpochMillis } from '../formats/rfc3339';

/**
 * The approval payload (FORMATS §5): an in-toto Statement v1 naming one release manifest by the
 * sha256 of its payload bytes, with a reviewer's decision as predicate.
 *
 * Written by buildApprovalStatement: `comment` only when there is one, `conditions` always (an
 * empty array when none), `expiresAt` only when the approval expires. Read by
 * parseApprovalStatement: `comment`, `conditions` and `expiresAt` may each be absent or null
 * (other tools write either); every other field is required.
 */

export const APPROVAL_PREDICATE_V1 = 'https://countersign.dev/approval/v1';

export const DECISIONS = ['approve', 'reject', 'abstain'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface ApprovalPredicate {
  decision: Decision;
  role: string;
  /** Key ID of the reviewer; must be the key that signed the envelope. */
  reviewer: string;
  comment: string | null;
  conditions: string[];
  /** sha256 hex of the board policy file the reviewer approved under. */
  policyDigest: string;
  reviewedAt: string;
  expiresAt: string | null;
}

export interface ApprovalStatement {
  /** e.g. `fraud-detector@m92`; informative only: the digest is what binds. */
  subjectName: string;
  /** sha256 hex of the approved manifest's payload bytes. */
  manifestDigest: string;
  predicate: ApprovalPredicate;
  /** JSON paths of fields this version does not interpret. */
  unknownFields: string[];
}

export interface ApprovalStatementInput {
  releaseName: string;
  releaseVersion: string;
  manifestDigest: string;
  decision: Decision;
  role: string;
  reviewer: string;
  comment?: string | null;
  conditions?: string[];
  policyDigest: string;
  reviewedAt: string;
  expiresAt?: string | null;
}

const STATEMENT_FIELDS = new Set(['_type', 'subject', 'predicateType', 'predicate']);
const SUBJECT_FIELDS = new Set(['name', 'digest']);
const PREDICATE_FIELDS = new Set(['decision', 'role', 'reviewer', 'comment', 'conditions', 'policy', 'reviewedAt', 'expiresAt']);
const POLICY_FIELDS = new Set(['digest']);

/**
 * The statement to sign, in FORMATS §5's field order. Throws a FormatError (naming the
 * statement's JSON path) for any input that parseApprovalStatement would refuse, so that what is
 * signed can always be read back.
 */
export function buildApprovalStatement(input: ApprovalStatementInput): JsonObject {
  const predicate: JsonObject = { decision: input.decision, role: input.role, reviewer: input.reviewer };
  if (input.comment !== undefined && input.comment !== null) predicate['comment'] = input.comment;
  predicate['conditions'] = [...(input.conditions ?? [])];
  predicate['policy'] = { digest: { sha256: input.policyDigest } };
  predicate['reviewedAt'] = input.reviewedAt;
  if (input.expiresAt !== undefined && input.expiresAt !== null) predicate['expiresAt'] = input.expiresAt;

  const statement: JsonObject = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: `${input.releaseName}@${input.releaseVersion}`, digest: { sha256: input.manifestDigest } }],
    predicateType: APPROVAL_PREDICATE_V1,
    predicate,
  };
  parseApprovalStatement(statement);
  return statement;
}

/** Reads an approval statement strictly; every error is a FormatError naming the JSON path. */
export function parseApprovalStatement(value: JsonValue): ApprovalStatement {
  const root = '$';
  const statement = expectObject(value, root);
  const unknownFields: string[] = [];
  collectUnknownFields(statement, root, STATEMENT_FIELDS, unknownFields);

  const type = expectNonEmptyString(requiredField(statement, '_type', root), '$._type');
  if (type !== IN_TOTO_STATEMENT_V1) throw new FormatError('$._type', `expected "${IN_TOTO_STATEMENT_V1}", got ${JSON.stringify(type)}`);
  const predicateType = expectNonEmptyString(requiredField(statement, 'predicateType', root), '$.predicateType');
  if (predicateType !== APPROVAL_PREDICATE_V1) {
    throw new FormatError('$.predicateType', `expected "${APPROVAL_PREDICATE_V1}" (an approval), got ${JSON.stringify(predicateType)}`);
  }
  const { subjectName, manifestDigest } = parseSubject(requiredField(statement, 'subject', root), unknownFields);
  const predicate = parsePredicate(requiredField(statement, 'predicate', root), unknownFields);
  return { subjectName, manifestDigest, predicate, unknownFields };
}

function parseSubject(value: JsonValue, unknownFields: string[]): { subjectName: string; manifestDigest: string } {
  const subjects = expectArray(value, '$.subject');
  if (subjects.length !== 1) {
    throw new FormatError('$.subject', `an approval names exactly one subject (the release manifest), got ${subjects.length}`);
  }
  const path = '$.subject[0]';
  const subject = expectObject(subjects[0] ?? null, path);
  collectUnknownFields(subject, path, SUBJECT_FIELDS, unknownFields);
  const subjectName = expectNonEmptyString(requiredField(subject, 'name', path), `${path}.name`);
  const manifestDigest = requiredSha256(requiredField(subject, 'digest', path), `${path}.digest`, unknownFields, 'the sha256 of the manifest payload');
  return { subjectName, manifestDigest };
}

function parsePredicate(value: JsonValue, unknownFields: string[]): ApprovalPredicate {
  const path = '$.predicate';
  const predicate = expectObject(value, path);
  collectUnknownFields(predicate, path, PREDICATE_FIELDS, unknownFields);
  const field = (key: string) => requiredField(predicate, key, path);

  const decision = parseDecision(field('decision'), `${path}.decision`);
  const role = expectNonEmptyString(field('role'), `${path}.role`);
  const reviewer = parseKeyId(field('reviewer'), `${path}.reviewer`);
  const commentValue = optionalField(predicate, 'comment') ?? null;
  const comment = commentValue === null ? null : expectString(commentValue, `${path}.comment`);
  const conditions = parseConditions(optionalField(predicate, 'conditions') ?? null, `${path}.conditions`);
  const policyDigest = parsePolicy(field('policy'), `${path}.policy`, unknownFields);
  const reviewedAt = parseRfc3339Utc(field('reviewedAt'), `${path}.reviewedAt`);
  const expiresValue = optionalField(predicate, 'expiresAt') ?? null;
  const expiresAt = expiresValue === null ? null : parseRfc3339Utc(expiresValue, `${path}.expiresAt`);
  if (expiresAt !== null && rfc3339ToEpochMillis(expiresAt) <= rfc3339ToEpochMillis(reviewedAt)) {
    throw new FormatError(`${path}.expiresAt`, `expires at ${expiresAt}, not after it was reviewed (${reviewedAt})`);
  }
  return { decision, role, reviewer, comment, conditions, policyDigest, reviewedAt, expiresAt };
}

function parseDecision(value: JsonValue, path: string): Decision {
  const text = expectString(value, path);
  const decision = DECISIONS.find((known) => known === text);
  if (decision === undefined) throw new FormatError(path, `expected one of ${DECISIONS.join(', ')}, got ${JSON.stringify(text)}`);
  return decision;
}

function parseConditions(value: JsonValue, path: string): string[] {
  if (value === null) return [];
  return expectArray(value, path).map((item, index) => expectNonEmptyString(item, jsonPathChild(path, index)));
}

function parsePolicy(value: JsonValue, path: string, unknownFields: string[]): string {
  const policy = expectObject(value, path);
  collectUnknownFields(policy, path, POLICY_FIELDS, unknownFields);
  return requiredSha256(requiredField(policy, 'digest', path), `${path}.digest`, unknownFields, 'the sha256 of the board policy file');
}

/** A digest set that must carry sha256; other algorithms are kept as unknown fields, never compared. */
function requiredSha256(value: JsonValue, path: string, unknownFields: string[], what: string): string {
  const digest = parseDigestSet(value, path);
  for (const algorithm of Object.keys(digest)) {
    if (algorithm !== 'sha256' && !isKnownDigestAlgorithm(algorithm)) unknownFields.push(jsonPathChild(path, algorithm));
  }
  const sha256 = Object.hasOwn(digest, 'sha256') ? digest['sha256'] : undefined;
  if (sha256 === undefined) throw new FormatError(path, `missing "sha256" (${what})`);
  return sha256;
}
