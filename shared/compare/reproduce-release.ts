import type { JsonValue } from '../json/strict-json';
import { FormatError } from '../formats/format-error';
import type { ArtifactKind, Verdict } from '../verify/report';
import { compareReleases, type ComparableRelease } from './compare-releases';
import type { Reproduction } from './reproduction';

/** A release as reproduction reads it: what compare reads, its verdict, and its evaluation metrics. */
export interface ReproducibleRelease extends ComparableRelease {
  verdict: Verdict;
  /** `predicate.evaluation` as written (`{"metrics": {"<name>": <number>}}`), or null. */
  evaluation: JsonValue | null;
}

/** Kinds a rerun must pin identically: the same code, data, environment and container. A model may differ in bytes. */
export const REQUIRED_KINDS: ReadonlySet<ArtifactKind> = new Set(['code', 'dataset', 'features', 'lockfile', 'container']);

/**
 * Floating-point slack when comparing a metric's delta with maxDelta: 0.93 - 0.92 is
 * 0.010000000000000009 in binary, and a tolerance of 0.01 must accept it.
 */
const DELTA_SLACK = 1e-9;

export interface ToleranceRule {
  metric: string;
  maxDelta: number;
}

/**
 * Is `rebuilt` an equivalent rerun of `original`? Pure. Not equivalent, each reason listed:
 * either release does not verify; a subject of a required kind (code, dataset, features,
 * lockfile, container) differs, is missing from the rebuild or is new in it; the seed differs;
 * either side was built from a dirty work tree; a metric the original's tolerance names differs
 * by more than maxDelta or is missing on either side. Reported, allowed: hardware, models and
 * other subjects, other environment fields, metrics the tolerance does not name, lineage.
 * Without a tolerance in the original, every metric the two share must be identical.
 * A tolerance that is not `{metric, maxDelta}` (or a list of them) is a FormatError.
 */
export function judgeReproduction(original: ReproducibleRelease, rebuilt: ReproducibleRelease): Reproduction {
  const comparison = compareReleases(original, rebuilt);
  const reasons: string[] = [];
  for (const [side, release] of [
    ['original', original],
    ['rebuilt', rebuilt],
  ] as const) {
    if (release.verdict !== 'verified') reasons.push(`The ${side} release does not verify (${release.verdict}).`);
  }

  const pins: Reproduction['pins'] = [];
  const kindOf = (release: ComparableRelease, name: string) => release.subjects.find((subject) => subject.name === name)?.kind ?? null;
  const isRequired = (...kinds: (ArtifactKind | null)[]) => kinds.some((kind) => kind !== null && REQUIRED_KINDS.has(kind));
  for (const changed of comparison.subjects.changed) {
    const required = isRequired(changed.kind, kindOf(original, changed.name));
    pins.push({ name: changed.name, kind: changed.kind, change: 'changed', required, original: changed.oldDigest, rebuilt: changed.newDigest });
    if (required) reasons.push(`${changed.kind ?? 'subject'} ${changed.name} differs: ${digestLine(changed.oldDigest)} in the original, ${digestLine(changed.newDigest)} in the rebuild.`);
  }
  for (const removed of comparison.subjects.removed) {
    const required = isRequired(removed.kind);
    pins.push({ name: removed.name, kind: removed.kind, change: 'missing', required, original: removed.digest, rebuilt: null });
    if (required) reasons.push(`${removed.kind ?? 'subject'} ${removed.name} of the original is missing from the rebuild.`);
  }
  for (const added of comparison.subjects.added) {
    const required = isRequired(added.kind);
    pins.push({ name: added.name, kind: added.kind, change: 'extra', required, original: null, rebuilt: added.digest });
    if (required) reasons.push(`${added.kind ?? 'subject'} ${added.name} is in the rebuild but not in the original.`);
  }
  for (const kindChanged of comparison.subjects.kindChanged) {
    const required = isRequired(kindChanged.oldKind, kindChanged.newKind);
    pins.push({ name: kindChanged.name, kind: kindChanged.newKind, change: 'kind-changed', required, original: null, rebuilt: null });
    if (required) reasons.push(`${kindChanged.name} is a ${kindChanged.oldKind ?? 'subject of no kind'} in the original and a ${kindChanged.newKind ?? 'subject of no kind'} in the rebuild.`);
  }

  const hardware: Reproduction['hardware'] = [];
  const environment: Reproduction['environment'] = [];
  for (const field of comparison.environment) {
    if (field.field.startsWith('tolerance')) continue;
    if (field.field === 'environment.hardware' || field.field.startsWith('environment.hardware.') || field.field.startsWith('environment.hardware[')) {
      hardware.push({ field: field.field, original: field.old, rebuilt: field.new });
      continue;
    }
    const required = field.field === 'environment.seed';
    environment.push({ field: field.field, original: field.old, rebuilt: field.new, required });
    if (required) reasons.push(`The seed differs: ${field.old ?? 'none'} in the original, ${field.new ?? 'none'} in the rebuild.`);
  }
  for (const [side, release] of [
    ['original', original],
    ['rebuilt', rebuilt],
  ] as const) {
    if (dirtyWorkTree(release.environment)) reasons.push(`The ${side} release was built from a dirty work tree: its code is not what the commit pins.`);
  }

  const rules = toleranceRules(original.tolerance);
  const originalMetrics = metricsOf(original.evaluation, 'original');
  const rebuiltMetrics = metricsOf(rebuilt.evaluation, 'rebuilt');
  const metrics: Reproduction['metrics'] = [];
  const names = [...new Set([...Object.keys(originalMetrics), ...Object.keys(rebuiltMetrics), ...rules.map((rule) => rule.metric)])].sort();
  for (const metric of names) {
    const before = Object.hasOwn(originalMetrics, metric) ? originalMetrics[metric]! : null;
    const after = Object.hasOwn(rebuiltMetrics, metric) ? rebuiltMetrics[metric]! : null;
    const delta = before !== null && after !== null ? after - before : null;
    const rule = rules.find((candidate) => candidate.metric === metric);
    const maxDelta = rule?.maxDelta ?? (rules.length === 0 && before !== null && after !== null ? 0 : null);
    let within: boolean | null = null;
    if (maxDelta !== null) {
      if (before === null || after === null) {
        within = false;
        reasons.push(`Metric ${metric}, which the tolerance names, is missing from the ${before === null ? 'original' : 'rebuilt'} release's evaluation.`);
      } else {
        within = Math.abs(delta!) <= maxDelta + DELTA_SLACK * Math.max(1, Math.abs(before), Math.abs(after));
        if (!within) {
          const allowed = rule === undefined ? 'the original sets no tolerance, so it must be identical' : `the tolerance allows ${maxDelta}`;
          reasons.push(`Metric ${metric} moved by ${formatDelta(delta!)} (${before} → ${after}); ${allowed}.`);
        }
      }
    }
    metrics.push({ metric, original: before, rebuilt: after, delta, maxDelta, within });
  }

  return {
    original: { manifestDigest: original.manifestDigest, release: original.release, verdict: original.verdict },
    rebuilt: { manifestDigest: rebuilt.manifestDigest, release: rebuilt.release, verdict: rebuilt.verdict },
    equivalent: reasons.length === 0,
    reasons,
    pins,
    hardware,
    environment,
    metrics,
    comparison,
  };
}

/** `predicate.tolerance`: `{metric, maxDelta}` (FORMATS §4), or a list of them; null or absent: none. */
export function toleranceRules(tolerance: JsonValue | null): ToleranceRule[] {
  if (tolerance === null) return [];
  const items = Array.isArray(tolerance) ? tolerance : [tolerance];
  return items.map((item, index) => {
    const path = Array.isArray(tolerance) ? `$.predicate.tolerance[${index}]` : '$.predicate.tolerance';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new FormatError(path, 'expected {"metric": <name>, "maxDelta": <number>}');
    const { metric, maxDelta } = item;
    if (typeof metric !== 'string' || metric === '') throw new FormatError(`${path}.metric`, 'expected the name of a metric');
    if (typeof maxDelta !== 'number' || !Number.isFinite(maxDelta) || maxDelta < 0) throw new FormatError(`${path}.maxDelta`, 'expected a number of 0 or more');
    return { metric, maxDelta };
  });
}

function metricsOf(evaluation: JsonValue | null, side: string): Record<string, number> {
  if (evaluation === null) return {};
  const path = `$.predicate.evaluation (${side})`;
  if (typeof evaluation !== 'object' || Array.isArray(evaluation)) throw new FormatError(path, 'expected {"metrics": {...}}');
  const metrics = evaluation.metrics;
  if (metrics === undefined || metrics === null) return {};
  if (typeof metrics !== 'object' || Array.isArray(metrics)) throw new FormatError(`${path}.metrics`, 'expected an object of metric names to numbers');
  const result: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new FormatError(`${path}.metrics.${name}`, 'expected a number');
    result[name] = value;
  }
  return result;
}

function dirtyWorkTree(environment: JsonValue | null): boolean {
  if (environment === null || typeof environment !== 'object' || Array.isArray(environment)) return false;
  const git = environment.git;
  return git !== null && typeof git === 'object' && !Array.isArray(git) && git !== undefined && git.dirty === true;
}

function digestLine(digest: Record<string, string>): string {
  return Object.entries(digest)
    .map(([algorithm, value]) => `${algorithm}:${value}`)
    .join(', ');
}

function formatDelta(delta: number): string {
  return `${delta >= 0 ? '+' : ''}${Number(delta.toPrecision(6))}`;
}
