import { useMe } from '../api/console-api.js';

/**
 * Says why no action buttons show: Queuewatch is read-only, or the token is a viewer's. Says
 * nothing while `/me` is unread, or when the token may change things.
 */
export function AccessNotice() {
  const { data } = useMe();
  if (!data) return null;
  if (data.readOnly) {
    return (
      <p className="notice notice--info" data-testid="read-only-notice">
        Read-only mode: this Queuewatch refuses every change, whatever the token.
      </p>
    );
  }
  if (data.may.length === 0) {
    return (
      <p className="notice notice--info" data-testid="read-only-notice">
        Read-only: you are signed in as {data.name} ({data.role}), who may look but change nothing.
      </p>
    );
  }
  return null;
}
