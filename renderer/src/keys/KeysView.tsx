import { GenerateKeyForm } from './GenerateKeyForm';
import { IdleLockSetting } from './IdleLockSetting';
import { ImportKeyForm } from './ImportKeyForm';
import { KeyList } from './KeyList';

export function KeysView() {
  return (
    <>
      <h1 tabIndex={-1}>Keys</h1>
      <p>The keys you sign approvals with. Their private halves stay on this machine, encrypted under your passphrase; the app names them by fingerprint.</p>
      <KeyList />
      <IdleLockSetting />
      <GenerateKeyForm />
      <ImportKeyForm />
    </>
  );
}
