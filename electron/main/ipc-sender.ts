/**
 * Who may call the API over IPC, decided from plain facts about the message, before any
 * handler runs: only the main frame of the main window, showing a page of the app's own
 * origin. No electron import, so the rule is tested without a window.
 */

/** What the main process knows about one IPC message's sender, read off the event as plain data. */
export interface IpcSenderFacts {
  /** The id of the webContents that sent the message. */
  senderWebContentsId: number;
  /** The id of the main window's webContents; null while there is no live main window. */
  mainWindowWebContentsId: number | null;
  /** The frame that sent it; null when it has navigated away or been destroyed since. */
  frame: {
    url: string;
    /** Whether it is the window's main frame (same process and routing id). */
    isWindowMainFrame: boolean;
    /** Whether it has a parent frame (a subframe does; the top frame's parent is null). */
    hasParent: boolean;
  } | null;
}

export type IpcSenderDecision = { allowed: true } | { allowed: false; reason: string };

const refuse = (reason: string): IpcSenderDecision => ({ allowed: false, reason });

/** Whether the sender may call; when not, why, in words for the log. */
export function decideIpcSender(facts: IpcSenderFacts, appOrigin: string): IpcSenderDecision {
  if (facts.mainWindowWebContentsId === null) return refuse('there is no main window');
  if (facts.senderWebContentsId !== facts.mainWindowWebContentsId) return refuse('the sender is not the main window');
  const frame = facts.frame;
  if (frame === null) return refuse('the sending frame is gone');
  if (frame.hasParent || !frame.isWindowMainFrame) return refuse('the sender is not the main frame');
  if (!isOfOrigin(frame.url, appOrigin)) return refuse(`the sender's page is not the app's own (${JSON.stringify(frame.url)})`);
  return { allowed: true };
}

/**
 * Whether `url` is a page of `origin` (`scheme://host`), compared on the parsed URL: a longer
 * host, another port, or credentials before the host do not pass. WHATWG URL gives custom
 * schemes the opaque origin "null", so scheme and host are compared instead of `.origin`.
 */
export function isOfOrigin(url: string, origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  return `${parsed.protocol}//${parsed.host}` === origin && parsed.host !== '';
}
