/** One file of a bundle being written: its path in the bundle, and where its bytes are. */
export interface BundleEntry {
  /** `/`-separated path inside the bundle, e.g. `artifacts/model/fraud.onnx`. */
  name: string;
  source: { file: string; size: number } | { bytes: Uint8Array };
}

/** Every file of a bundle has this mode in an archive, whoever made it; directories are not listed. */
export const FILE_MODE = 0o644;

/** Entries in one order for every writer: by name, UTF-16 code unit order. */
export function sortedEntries(entries: readonly BundleEntry[]): BundleEntry[] {
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function entrySize(entry: BundleEntry): number {
  return 'bytes' in entry.source ? entry.source.bytes.length : entry.source.size;
}
