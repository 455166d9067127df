import { errorText } from '../bridge/hooks';
import { OutsideText } from './OutsideText';

/** A failed command: what happened and what to do, in plain words (see plain-words.ts). */
export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  const message = errorText(error);
  return (
    <p role="alert" className="error-notice">
      {prefix !== undefined && `${prefix}: `}
      <OutsideText text={message} />
    </p>
  );
}
