import type { ButtonHTMLAttributes } from 'react';

/** A real `<button>` (type "button" unless told), in the dashboard's look. */
export function Button({
  variant = 'primary',
  busy = false,
  type = 'button',
  className,
  children,
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost';
  busy?: boolean;
}) {
  return (
    <button
      {...rest}
      type={type}
      className={`button button--${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled === true || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}
