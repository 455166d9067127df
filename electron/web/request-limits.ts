import type { CommandName } from '../../shared/api/contract';
import { MAX_DROPPED_ARCHIVE_BYTES } from '../../shared/api/commands/bundle-commands';
import { DEPLOYMENT_LIMITS } from '../../shared/deployment/proposed-deployment';

/** Time and connection limits of the loopback web host; tests pass smaller ones. */
export interface WebHostLimits {
  /** Until the request headers are complete (Node sends 408 after it). */
  headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived (Node sends 408 after it). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** A socket with no byte in either direction for this long is answered 408 (when it can be) and closed. */
  idleSocketTimeoutMs: number;
  /** Open sockets at once, event streams included; one more is answered 503 and closed. */
  maxConnections: number;
}

export const DEFAULT_WEB_HOST_LIMITS: Readonly<WebHostLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  // The largest body (a 256 MiB archive as base64) arrives over loopback in seconds.
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  // Longer than the event streams' 15 s heartbeat, which keeps them from idling out.
  idleSocketTimeoutMs: 30_000,
  // A browser opens about six connections per host; the rest is room for several tabs.
  maxConnections: 64,
});

/** Every command not listed below: the largest such input (a 16 KiB public key, escaped) fits many times. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** Room for the JSON around the one large field. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The most bytes a JSON string of `units` UTF-16 code units can take: a control character
 * escaped as \u00XX is 6 bytes, more than any UTF-8 encoding of one unit.
 */
const jsonStringBytes = (units: number): number => 6 * units + 2;

/** The commands whose contract admits a large field, and the body cap that field implies. */
const LARGE_BODY_LIMITS: Partial<Record<CommandName, number>> = {
  // Base64 is plain ASCII: never escaped.
  'bundle.importArchive': Math.ceil(MAX_DROPPED_ARCHIVE_BYTES / 3) * 4 + ENVELOPE_BYTES,
  'trust.previewBoard': jsonStringBytes(4 * 1024 * 1024) + ENVELOPE_BYTES,
  'trust.importBoard': jsonStringBytes(4 * 1024 * 1024) + ENVELOPE_BYTES,
  'trust.importTrustedRoot': 24 * 1024 * 1024 + ENVELOPE_BYTES,
  'deployment.diff': jsonStringBytes(DEPLOYMENT_LIMITS.maxBytes) + ENVELOPE_BYTES,
  'report.export': jsonStringBytes(DEPLOYMENT_LIMITS.maxBytes) + ENVELOPE_BYTES,
  'approvals.import': jsonStringBytes(1024 * 1024) + ENVELOPE_BYTES,
};

/** The largest request body the web host reads for `command`, checked before and while it arrives. */
export function bodyLimitFor(command: CommandName): number {
  return LARGE_BODY_LIMITS[command] ?? DEFAULT_BODY_LIMIT_BYTES;
}
