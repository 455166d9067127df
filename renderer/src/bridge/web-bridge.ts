import { events } from '../../../shared/api/contract';
import type { Bridge, CommandInput, CommandName, CommandOutput, EventName, EventPayload, Result } from '../../../shared/api/contract';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { failure, resultFromBody } from './result';
import { TOKEN_STORAGE_KEY, takeTokenFromHash } from './token';

/**
 * The Bridge over the loopback web host: commands as `POST /api/invoke/<command>`, events over
 * server-sent events. The host only answers requests that carry the per-run token it put in the
 * page's URL fragment.
 */
export function createWebBridge(): Bridge {
  const token = readAccessToken();
  const eventSource = token === null ? null : new EventSource(`/api/events?token=${encodeURIComponent(token)}`);

  return {
    async invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
      if (token === null) {
        return failure('internal', 'This page was opened without its access token. Open the link the countersign command printed.');
      }
      // Our own host answers in the contract's shape (see resultFromBody for what is still checked).
      return (await post(command, input, token)) as Result<CommandOutput<C>>;
    },
    on(event, listener) {
      if (eventSource === null) return () => {};
      const handle = (message: MessageEvent<string>) => {
        const payload = parseEvent(event, message.data);
        if (payload !== null) listener(payload);
      };
      eventSource.addEventListener(event, handle);
      return () => eventSource.removeEventListener(event, handle);
    },
  };
}

async function post(command: CommandName, input: unknown, token: string) {
  let response: Response;
  try {
    response = await fetch(`/api/invoke/${command}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Countersign-Token': token },
      body: JSON.stringify(input),
    });
  } catch (error) {
    return failure('internal', `Could not reach the Countersign host: ${errorMessage(error)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return failure('internal', `the host answered with HTTP ${response.status} and no result`);
  }
  return resultFromBody(body, response.status);
}

/** Drops an event that is not what the contract says rather than handing the UI a surprise. */
function parseEvent<E extends EventName>(event: E, data: string): EventPayload<E> | null {
  try {
    const parsed = events[event].safeParse(parseStrictJson(data));
    return parsed.success ? (parsed.data as EventPayload<E>) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the token from `#token=…` on first load and keeps it in this tab's session storage, then
 * removes it from the address bar and history so it is not bookmarked, shared or shown on screen.
 */
function readAccessToken(): string | null {
  const { token, rest } = takeTokenFromHash(window.location.hash);
  if (token !== null) {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest}`);
    return token;
  }
  return sessionStorage.getItem(TOKEN_STORAGE_KEY);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
