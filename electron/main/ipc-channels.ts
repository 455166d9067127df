// The two IPC channels between the preload and the main process; both ends import these names.

/** Renderer → main: `invoke(INVOKE_CHANNEL, command, input)`, answered with a contract Result. */
export const INVOKE_CHANNEL = 'countersign:invoke';

/** Main → renderer: `send(EVENT_CHANNEL, eventName, payload)` for the contract's events. */
export const EVENT_CHANNEL = 'countersign:event';
