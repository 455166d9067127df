import { DomainError } from '../../../shared/errors/domain-error';
import type { HashProgressUpdate } from '../hashing/hash-files';

/** What a long operation is handed: its cancel signal, and where to report byte progress. */
export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (progress: HashProgressUpdate) => void;
}

export class DuplicateJobError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/**
 * Every long operation of a host runs here under the caller's job ID, so one `jobs.cancel`
 * stops any of them and progress reaches the caller under the same ID. Work started without a
 * job ID still gets a signal (the host cancels it on shutdown) but reports no progress.
 */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();
  private readonly anonymous = new Set<AbortController>();

  constructor(private readonly reportProgress: (jobId: string, progress: HashProgressUpdate) => void) {}

  async run<T>(jobId: string | undefined, work: (control: JobControl) => Promise<T>): Promise<T> {
    if (jobId !== undefined && this.running.has(jobId)) throw new DuplicateJobError(`A job with ID ${jobId} is already running.`);
    const controller = new AbortController();
    if (jobId === undefined) this.anonymous.add(controller);
    else this.running.set(jobId, controller);
    try {
      return await work({
        signal: controller.signal,
        ...(jobId !== undefined ? { onProgress: (progress: HashProgressUpdate) => this.reportProgress(jobId, progress) } : {}),
      });
    } finally {
      if (jobId === undefined) this.anonymous.delete(controller);
      else this.running.delete(jobId);
    }
  }

  /** Asks the job to stop; true when such a job was running. */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of [...this.running.values(), ...this.anonymous]) controller.abort();
  }
}
