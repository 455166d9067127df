import { BoardPanel } from './BoardPanel';
import { PinKeyForm } from './PinKeyForm';
import { PinnedKeysPanel } from './PinnedKeysPanel';

export function TrustView() {
  return (
    <>
      <h1 tabIndex={-1}>Trust</h1>
      <p>Who this machine trusts to sign: keys you pinned, and the board policy. A bundle never decides this for itself.</p>
      <PinnedKeysPanel />
      <PinKeyForm />
      <BoardPanel />
    </>
  );
}
