import { errorText } from '../bridge/hooks';

/** A failed command, in the host's own words. */
export function ErrorNotice({ error, prefix }: { error: unknown; prefix?: string }) {
  const message = errorText(error);
  return (
    <p role="alert" className="error-notice">
      {prefix === undefined ? message : `${prefix}: ${message}`}
    </p>
  );
}
