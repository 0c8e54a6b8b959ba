import type { ReactNode } from 'react';

/**
 * Preformatted text in a box that scrolls when it is long: a named region that takes the focus,
 * so the keyboard can scroll it too.
 */
export function CodeBlock(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <pre
      className="code-block"
      tabIndex={0}
      role="region"
      aria-label={props.label}
      data-testid={props.testId}
    >
      {props.children}
    </pre>
  );
}
