import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../json/strict-json';
import { publicKeyFromSeed } from '../crypto/ed25519';
import { sha256 } from '../crypto/hash';
import { keyIdOf, toOpenSshLine, toPem } from '../crypto/keys';
import { parseBoardPolicy } from './board-policy';
import { FormatError } from './format-error';

const ADA_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv2H0d4qR0k3bqzQ1aX0k3n5gS0n8Jm3x3o8wz1Yv7a ada@laptop';
const ALAN_KEY = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6/YfR3ipHSTduHNDVpfSTefmBLSfwmbfHejzDPVi/to=\n-----END PUBLIC KEY-----\n';
const CI_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0ai2W9tDk2b1Ue2KbqJrL1hK0mB5bQ6r3p4p7aX9yC ci@build';
const REVOKED = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

/** The FORMATS §6 example, as a fresh object each time so that tests can change it. */
function examplePolicy(): JsonObject {
  return {
    board: 'Responsible AI Review Board',
    version: 3,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [ADA_KEY] },
      { name: 'Alan Turing', roles: ['privacy', 'ml-lead'], keys: [ALAN_KEY] },
    ],
    producers: [{ name: 'training CI', keys: [CI_KEY] }],
    revokedKeys: [REVOKED],
    rules: {
      approvalsRequired: 2,
      rolesRequired: { risk: 1, privacy: 1 },
      authorMayApprove: false,
      rejectionBlocks: true,
      maxApprovalAgeDays: 90,
    },
  };
}

type Location = readonly (string | number)[];

/** Sets the member at `location` in a test document, or deletes it when `value` is undefined. */
function edit(document: JsonValue, location: Location, value: JsonValue | undefined): void {
  let container = document as Record<string | number, JsonValue>;
  for (const step of location.slice(0, -1)) container = container[step] as Record<string | number, JsonValue>;
  const last = location[location.length - 1] as string | number;
  if (value === undefined) delete container[last];
  else container[last] = value;
}

function expectRejected(location: Location, value: JsonValue | undefined, path: string, reason: string): void {
  const policy = examplePolicy();
  edit(policy, location, value);
  let error: unknown;
  try {
    parseBoardPolicy(policy);
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(FormatError);
  expect((error as FormatError).path).toBe(path);
  expect((error as FormatError).reason).toContain(reason);
}

describe('parseBoardPolicy', () => {
  it('reads the FORMATS example, keeping key text as given', () => {
    expect(parseBoardPolicy(examplePolicy())).toEqual({
      board: 'Responsible AI Review Board',
      version: 3,
      members: [
        { name: 'Ada Byron', roles: ['risk'], keys: [ADA_KEY] },
        { name: 'Alan Turing', roles: ['privacy', 'ml-lead'], keys: [ALAN_KEY] },
      ],
      producers: [{ name: 'training CI', keys: [CI_KEY] }],
      revokedKeys: [REVOKED],
      rules: {
        approvalsRequired: 2,
        rolesRequired: { risk: 1, privacy: 1 },
        authorMayApprove: false,
        rejectionBlocks: true,
        maxApprovalAgeDays: 90,
      },
      unknownFields: [],
    });
  });

  it('refuses one key listed for two members, naming the key and both members, even spelled once as OpenSSH and once as PEM', () => {
    const seed = sha256(new TextEncoder().encode('shared key'));
    const publicKey = publicKeyFromSeed(seed);
    for (const secondSpelling of [toOpenSshLine(publicKey, 'other@host'), toPem(publicKey)]) {
      const policy = examplePolicy();
      edit(policy, ['members', 0, 'keys'], [ADA_KEY, toOpenSshLine(publicKey, 'ada@desk')]);
      edit(policy, ['members', 1, 'keys'], [secondSpelling]);
      let error: unknown;
      try {
        parseBoardPolicy(policy);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).path).toBe('$.members[1].keys[0]');
      expect((error as FormatError).reason).toBe(`key ${keyIdOf(publicKey)} is listed for both "Ada Byron" ($.members[0].keys[1]) and "Alan Turing": a key identifies one member`);
    }
  });

  it('reads absent producers and revokedKeys as empty', () => {
    const policy = examplePolicy();
    edit(policy, ['producers'], undefined);
    edit(policy, ['revokedKeys'], undefined);
    const parsed = parseBoardPolicy(policy);
    expect(parsed.producers).toEqual([]);
    expect(parsed.revokedKeys).toEqual([]);
  });

  it('lists unknown fields by JSON path', () => {
    const policy = examplePolicy();
    edit(policy, ['contact'], 'board@example.com');
    edit(policy, ['members', 1, 'email'], 'alan@example.com');
    edit(policy, ['producers', 0, 'pipeline'], 'train.yml');
    edit(policy, ['rules', 'quorumTimeoutDays'], 3);
    expect(parseBoardPolicy(policy).unknownFields).toEqual([
      '$.contact',
      '$.members[1].email',
      '$.producers[0].pipeline',
      '$.rules.quorumTimeoutDays',
    ]);
  });

  it('rejects a policy that is not an object', () => {
    expect(() => parseBoardPolicy([])).toThrow('$: expected an object, got an array');
  });

  it('requires the board name, version, members and rules', () => {
    for (const field of ['board', 'version', 'members', 'rules']) {
      expectRejected([field], undefined, '$', `missing required field "${field}"`);
    }
  });

  it('requires every rule', () => {
    for (const rule of ['approvalsRequired', 'rolesRequired', 'authorMayApprove', 'rejectionBlocks', 'maxApprovalAgeDays']) {
      expectRejected(['rules', rule], undefined, '$.rules', `missing required field "${rule}"`);
    }
  });

  it('rejects wrong types with their paths', () => {
    expectRejected(['board'], 3, '$.board', 'expected a string, got the number 3');
    expectRejected(['version'], '3', '$.version', 'expected a non-negative integer');
    expectRejected(['members'], {}, '$.members', 'expected an array, got an object');
    expectRejected(['members', 0, 'roles'], 'risk', '$.members[0].roles', 'expected an array, got a string');
    expectRejected(['members', 1, 'keys'], [ALAN_KEY, 7], '$.members[1].keys[1]', 'expected a string');
    expectRejected(['rules', 'authorMayApprove'], 'no', '$.rules.authorMayApprove', 'expected true or false');
    expectRejected(['rules', 'rejectionBlocks'], 1, '$.rules.rejectionBlocks', 'expected true or false');
  });

  it('rejects counts that are not safe non-negative integers', () => {
    expectRejected(['version'], -1, '$.version', 'expected a non-negative integer');
    expectRejected(['version'], 2 ** 53, '$.version', 'expected a non-negative integer');
    expectRejected(['rules', 'maxApprovalAgeDays'], 90.5, '$.rules.maxApprovalAgeDays', 'expected a non-negative integer');
    expectRejected(['rules', 'rolesRequired', 'risk'], -1, '$.rules.rolesRequired.risk', 'expected a non-negative integer');
  });

  it('requires at least one approval', () => {
    expectRejected(['rules', 'approvalsRequired'], 0, '$.rules.approvalsRequired', 'expected an integer of at least 1');
  });

  it('rejects more required approvals than members', () => {
    expectRejected(
      ['rules', 'approvalsRequired'],
      3,
      '$.rules.approvalsRequired',
      '3 approvals are required, but the board has only 2 members',
    );
  });

  it('rejects duplicate member and producer names', () => {
    expectRejected(['members', 1, 'name'], 'Ada Byron', '$.members[1].name', 'duplicate name "Ada Byron" (also at $.members[0])');
    expectRejected(
      ['producers', 1],
      { name: 'training CI', keys: [CI_KEY] },
      '$.producers[1].name',
      'duplicate name "training CI"',
    );
  });

  it('rejects empty names, roles and key lists', () => {
    expectRejected(['members', 0, 'name'], ' ', '$.members[0].name', 'non-empty string');
    expectRejected(['members', 0, 'roles'], [''], '$.members[0].roles[0]', 'non-empty string');
    expectRejected(['members', 0, 'keys'], [], '$.members[0].keys', 'at least one public key');
    expectRejected(['producers', 0, 'keys'], [], '$.producers[0].keys', 'at least one public key');
    expectRejected(['members'], [], '$.members', 'at least one member');
  });

  it('rejects a role or key listed twice for one member', () => {
    expectRejected(['members', 1, 'roles'], ['privacy', 'privacy'], '$.members[1].roles[1]', 'duplicate role "privacy"');
    expectRejected(['members', 0, 'keys'], [ADA_KEY, ADA_KEY], '$.members[0].keys[1]', 'duplicate key');
  });

  it('rejects revoked keys that are not key IDs', () => {
    expectRejected(['revokedKeys'], [REVOKED, ADA_KEY], '$.revokedKeys[1]', 'expected a key ID');
  });

  it('names a required role that no member holds', () => {
    expectRejected(
      ['rules', 'rolesRequired', 'security'],
      1,
      '$.rules.rolesRequired.security',
      'no member holds the role "security"',
    );
    expectRejected(
      ['rules', 'rolesRequired', 'data steward'],
      1,
      '$.rules.rolesRequired["data steward"]',
      'no member holds the role "data steward"',
    );
  });

  it('rejects more seats for a role than members who hold it', () => {
    expectRejected(
      ['rules', 'rolesRequired', 'risk'],
      2,
      '$.rules.rolesRequired.risk',
      '2 members with the role "risk" are required, but only 1 hold it',
    );
  });

  it('accepts several seats for a role when enough members hold it', () => {
    const policy = examplePolicy();
    edit(policy, ['members', 1, 'roles', 2], 'risk');
    edit(policy, ['rules', 'rolesRequired', 'risk'], 2);
    expect(parseBoardPolicy(policy).rules.rolesRequired).toEqual({ risk: 2, privacy: 1 });
  });
});

describe('parseBoardPolicy: producers trusted by other keys, X.509 roots and Sigstore identities', () => {
  const work = mkdtempSync(join(tmpdir(), 'producer-anchors-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const rootKey = join(work, 'root.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', rootKey]);
  const rootPem = execFileSync('openssl', ['req', '-x509', '-new', '-key', rootKey, '-subj', '/CN=producer root', '-days', '2']).toString();
  const ROOT_DIGEST = 'a'.repeat(64);

  function withProducer(producer: JsonValue, pin: JsonValue = { sha256: ROOT_DIGEST }): JsonObject {
    const policy = examplePolicy();
    edit(policy, ['producers'], [producer]);
    if (pin !== null) edit(policy, ['sigstoreTrustedRoot'], pin);
    return policy;
  }

  function rejection(policy: JsonObject): FormatError {
    try {
      parseBoardPolicy(policy);
    } catch (error) {
      if (error instanceof FormatError) return error;
      throw error;
    }
    throw new Error('the policy was accepted');
  }

  it('reads EC keys, constrained roots and keyless identities with the pinned trusted root', () => {
    const producer = {
      name: 'release CI',
      keys: [ecKey],
      certificateAuthorities: [{ pem: rootPem, identity: 'ci@example.test' }],
      sigstore: [{ identity: 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' }],
    };
    const parsed = parseBoardPolicy(withProducer(producer));
    expect(parsed.producers).toEqual([producer]);
    expect(parsed.sigstoreTrustedRoot).toEqual({ sha256: ROOT_DIGEST });
    expect(parsed.unknownFields).toEqual([]);
  });

  it('keeps a producer with an X.509 root alone, without keys, and an old policy without the new fields unchanged', () => {
    const parsed = parseBoardPolicy(withProducer({ name: 'ci', certificateAuthorities: [{ pem: rootPem, identity: 'ci@example.test' }] }, null));
    expect(parsed.producers).toEqual([{ name: 'ci', keys: [], certificateAuthorities: [{ pem: rootPem, identity: 'ci@example.test' }] }]);
    expect('sigstoreTrustedRoot' in parseBoardPolicy(examplePolicy())).toBe(false);
  });

  it('refuses a producer with no anchor at all', () => {
    expect(rejection(withProducer({ name: 'ci' })).reason).toContain('at least one trust anchor');
  });

  it('refuses an unknown field inside an anchor (a constraint it cannot read would widen trust), but keeps an unknown anchor kind as an unknown field', () => {
    const error = rejection(withProducer({ name: 'ci', certificateAuthorities: [{ pem: rootPem, identity: 'ci@example.test', issuerConstraint: 'x' }] }));
    expect(error.path).toBe('$.producers[0].certificateAuthorities[0].issuerConstraint');
    expect(error.reason).toContain('unknown anchor field');
    const parsed = parseBoardPolicy(withProducer({ name: 'ci', keys: [CI_KEY], gpgKeys: ['x'] }));
    expect(parsed.unknownFields).toEqual(['$.producers[0].gpgKeys']);
    expect(parsed.producers[0]).toEqual({ name: 'ci', keys: [CI_KEY] });
  });

  it('refuses PEM that is not a well-formed public key or certificate block', () => {
    const der = Buffer.from(ecKey.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const truncated = `-----BEGIN PUBLIC KEY-----\n${der.subarray(0, der.length - 3).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    expect(rejection(withProducer({ name: 'ci', keys: [truncated] })).path).toBe('$.producers[0].keys[0]');
    const twoKeys = `${ecKey}${ecKey}`;
    expect(rejection(withProducer({ name: 'ci', keys: [twoKeys] })).reason).toContain('exactly one');
    const keyAsRoot = rejection(withProducer({ name: 'ci', certificateAuthorities: [{ pem: ecKey, identity: 'ci@example.test' }] }));
    expect(keyAsRoot.path).toBe('$.producers[0].certificateAuthorities[0].pem');
    const junk = rejection(withProducer({ name: 'ci', certificateAuthorities: [{ pem: `${rootPem}trailing words`, identity: 'ci@example.test' }] }));
    expect(junk.reason).toContain('nothing else');
  });

  it('refuses a root without its identity, and identities that are not exact text', () => {
    const missing = rejection(withProducer({ name: 'ci', certificateAuthorities: [{ pem: rootPem }] }));
    expect(missing.path).toBe('$.producers[0].certificateAuthorities[0]');
    expect(missing.reason).toContain('identity');
    expect(rejection(withProducer({ name: 'ci', certificateAuthorities: [{ pem: rootPem, identity: ' ci@example.test' }] })).reason).toContain('exactly');
    expect(rejection(withProducer({ name: 'ci', sigstore: [{ identity: 'ci@example.test' }] })).reason).toContain('issuer');
    expect(rejection(withProducer({ name: 'ci', sigstore: [{ identity: 'ci@example.test', issuer: 'http://issuer.example' }] })).reason).toContain('https URL');
  });

  it('refuses keyless identities without a pinned trusted root, and a pin that is not a sha256', () => {
    const sigstore = [{ identity: 'ci@example.test', issuer: 'https://issuer.example' }];
    expect(rejection(withProducer({ name: 'ci', sigstore }, null)).reason).toContain('pin a trusted root');
    expect(rejection(withProducer({ name: 'ci', sigstore }, { sha256: 'A'.repeat(64) })).path).toBe('$.sigstoreTrustedRoot.sha256');
    expect(rejection(withProducer({ name: 'ci', sigstore }, { sha256: ROOT_DIGEST, url: 'https://x' })).path).toBe('$.sigstoreTrustedRoot.url');
  });

  it('refuses one anchor listed twice', () => {
    const anchor = { identity: 'ci@example.test', issuer: 'https://issuer.example' };
    expect(rejection(withProducer({ name: 'ci', sigstore: [anchor, { ...anchor }] })).reason).toContain('duplicate trust anchor');
  });
});
