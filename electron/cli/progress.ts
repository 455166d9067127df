import type { HashProgressUpdate } from '../services/hashing/hash-files';

const MiB = 1024 * 1024;

/** Hashing progress on one self-rewriting stderr line, only when stderr is a terminal. */
export function createProgressPrinter(stream: NodeJS.WriteStream): { update: (p: HashProgressUpdate) => void; done: () => void } {
  let shown = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      shown = true;
      const percent = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
      stream.write(`\rhashing ${(p.bytesDone / MiB).toFixed(0)} of ${(p.bytesTotal / MiB).toFixed(0)} MiB (${percent} %), ${p.filesDone}/${p.filesTotal} files`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
