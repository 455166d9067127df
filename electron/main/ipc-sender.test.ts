import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appPageUrl } from './app-origin';
import { decideIpcSender, isOfOrigin, type IpcSenderFacts } from './ipc-sender';

const MAIN_WINDOW = 7;
/** The one sender that may call: the main window's top frame on the app's own page. */
const mainFrame: IpcSenderFacts = {
  senderWebContentsId: MAIN_WINDOW,
  mainWindowWebContentsId: MAIN_WINDOW,
  frame: { url: appPageUrl('/data/bundle'), isWindowMainFrame: true, hasParent: false },
};
const frameOf = (changes: Partial<NonNullable<IpcSenderFacts['frame']>>): IpcSenderFacts => ({ ...mainFrame, frame: { ...mainFrame.frame!, ...changes } });

describe('decideIpcSender', () => {
  it("allows the main window's main frame on the app's own page", () => {
    expect(decideIpcSender(mainFrame, APP_ORIGIN)).toEqual({ allowed: true });
  });

  it.each<[string, IpcSenderFacts, RegExp]>([
    ['a subframe of the main window, even on the app origin', frameOf({ hasParent: true, isWindowMainFrame: false }), /not the main frame/],
    ['a frame with a parent that claims the main frame ids', frameOf({ hasParent: true }), /not the main frame/],
    ['a top frame that is not the window main frame', frameOf({ isWindowMainFrame: false }), /not the main frame/],
    ['a foreign origin in the main frame', frameOf({ url: 'https://evil.example/app' }), /not the app's own/],
    ['a look-alike host', frameOf({ url: 'app://countersign.evil/index.html' }), /not the app's own/],
    ['credentials before a foreign host', frameOf({ url: 'app://countersign@evil/index.html' }), /not the app's own/],
    ['another port', frameOf({ url: 'app://countersign:8080/index.html' }), /not the app's own/],
    ['a page the main frame navigated to (file://)', frameOf({ url: 'file:///tmp/index.html' }), /not the app's own/],
    ['a blank page after navigation', frameOf({ url: 'about:blank' }), /not the app's own/],
    ['a frame that is gone (navigated away or destroyed)', { ...mainFrame, frame: null }, /frame is gone/],
    ['another window', { ...mainFrame, senderWebContentsId: MAIN_WINDOW + 1 }, /not the main window/],
    ['any sender while there is no main window', { ...mainFrame, mainWindowWebContentsId: null }, /no main window/],
  ])('refuses %s', (_label, facts, reason) => {
    const decision = decideIpcSender(facts, APP_ORIGIN);
    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? '' : decision.reason).toMatch(reason);
  });

  it('judges against the origin it is given, not a fixed one', () => {
    expect(decideIpcSender(mainFrame, 'app://other').allowed).toBe(false);
    expect(decideIpcSender(frameOf({ url: 'app://other/index.html' }), 'app://other').allowed).toBe(true);
  });
});

describe('isOfOrigin', () => {
  it('accepts pages of the origin, with path, query and fragment', () => {
    expect(isOfOrigin('app://countersign/index.html#open=x', APP_ORIGIN)).toBe(true);
    expect(isOfOrigin('app://countersign/deep/page?x=1', APP_ORIGIN)).toBe(true);
  });

  it.each(['app://countersign.evil/index.html', 'https://countersign/index.html', 'file:///index.html', 'app://user:pw@countersign/', 'not a url', ''])('refuses %s', (url) => {
    expect(isOfOrigin(url, APP_ORIGIN)).toBe(false);
  });
});
