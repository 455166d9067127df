import { useSyncExternalStore } from 'react';
import type { BoardAnswerKind } from '../../../shared/review/board-answer';

/** The board's answer for a bundle, as judged when it was last open in this window. */
export interface RememberedAnswer {
  kind: BoardAnswerKind;
  headline: string;
  manifestDigest: string | null;
  judgedAt: string;
}

/**
 * The answers judged since the app started, by bundle path. Held in memory only: an answer
 * depends on trust, approvals and the clock, so one from an earlier run would be stale, and the
 * recent list says "not judged yet" instead of guessing.
 */
const answers = new Map<string, RememberedAnswer>();
const listeners = new Set<() => void>();
let snapshot: ReadonlyMap<string, RememberedAnswer> = new Map();

export function rememberAnswer(path: string, answer: RememberedAnswer): void {
  const previous = answers.get(path);
  if (previous !== undefined && previous.kind === answer.kind && previous.headline === answer.headline && previous.manifestDigest === answer.manifestDigest) return;
  answers.set(path, answer);
  snapshot = new Map(answers);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useRememberedAnswers(): ReadonlyMap<string, RememberedAnswer> {
  return useSyncExternalStore(subscribe, () => snapshot);
}
