/** The Wi‑Fi mark: whole when live; dashed and struck through when the dashboard is polling. */
export function WifiIcon(props: { connected: boolean }) {
  return (
    <svg
      className="wifi-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeDasharray={props.connected ? undefined : '3 3'}
    >
      <path d="M2 8.5a15 15 0 0 1 20 0" />
      <path d="M5 12a10 10 0 0 1 14 0" />
      <path d="M8.5 15.5a5 5 0 0 1 7 0" />
      <circle cx="12" cy="19" r="1.2" fill="currentColor" strokeDasharray="none" />
      {!props.connected && <path d="M3 3l18 18" strokeDasharray="none" />}
    </svg>
  );
}
