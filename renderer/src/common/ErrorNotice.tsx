import { errorText } from '../bridge/hooks';
import { OutsideText } from './OutsideText';

/** A failed command, in the host's own words. */
export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  const message = errorText(error);
  return (
    <p role="alert" className="error-notice">
      {prefix !== undefined && `${prefix}: `}
      <OutsideText text={message} />
    </p>
  );
}
