// Plain-words formatting of sizes, progress and times for the UI.

const BINARY_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units, two or three significant digits: "512 B", "9.5 KiB", "412 MiB", "2.0 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.7 MiB would print as "1024 MiB": say "1.0 GiB" instead.
  if (Math.round(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 9.95 ? value.toFixed(1) : Math.round(value).toString();
  return `${digits} ${BINARY_UNITS[unit]}`;
}

/** Whole percent, rounded down so that "100 %" only shows once everything is done. */
export function formatPercent(done: number, total: number): string {
  if (total <= 0) return '100 %';
  const percent = Math.floor((Math.min(done, total) / total) * 100);
  return `${Math.max(0, percent)} %`;
}

/** "about 6 s left", "about 3 min left", "about 1 h 5 min left"; empty while unknown. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** "412 MiB of 2.0 GiB · 38 % · about 6 s left" */
export function formatProgress(bytesDone: number, bytesTotal: number, secondsLeft: number | null): string {
  const parts = [`${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`, formatPercent(bytesDone, bytesTotal)];
  const timeLeft = formatTimeLeft(secondsLeft);
  if (timeLeft !== '') parts.push(timeLeft);
  return parts.join(' · ');
}

/** "just now", "5 min ago", "3 h ago", "yesterday", else the calendar date (YYYY-MM-DD, local time). */
export function formatRelativeTime(iso: string, now: Date): string {
  const then = new Date(iso);
  const millis = then.getTime();
  if (Number.isNaN(millis)) return iso;
  const seconds = (now.getTime() - millis) / 1000;
  if (seconds < 0) return formatDate(then);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  if (hours < 48) return 'yesterday';
  return formatDate(then);
}

function formatDate(date: Date): string {
  const pad = (n: number) => n.toString().padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "100,000": thousands grouped the same way whatever the locale. */
export function formatNumber(count: number): string {
  return Math.round(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 file", "1,234 files". */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}
