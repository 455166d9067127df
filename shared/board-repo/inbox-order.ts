import { rfc3339ToEpochMillis } from '../formats/rfc3339';

/**
 * The inbox's order: newest release first by its manifest's createdAt; releases without a
 * readable one last; ties by name, then digest, so two machines list the same board the same way.
 */
export function newestFirst<T extends { createdAt: string | null; name: string | null; manifestDigest: string }>(items: readonly T[]): T[] {
  const time = (item: T) => {
    const millis = item.createdAt === null ? Number.NaN : rfc3339ToEpochMillis(item.createdAt);
    return Number.isNaN(millis) ? Number.NEGATIVE_INFINITY : millis;
  };
  return [...items].sort((a, b) => compareNumbers(time(b), time(a)) || (a.name ?? '').localeCompare(b.name ?? '') || a.manifestDigest.localeCompare(b.manifestDigest));
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
