import type { ReactNode } from 'react';

/**
 * A data table with a caption (for screen readers) and column headers; rows come as children. Its
 * scroll container is a named region the keyboard can reach (Tab, then the arrow keys), and on a
 * narrow screen a hint says that it scrolls sideways.
 */
export function Table(props: {
  caption: string;
  headers: readonly string[];
  children: ReactNode;
  testId?: string | undefined;
}) {
  return (
    <div className="table-scroll">
      <div className="table-wrap" tabIndex={0} role="region" aria-label={props.caption}>
        <table className="table" data-testid={props.testId}>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {props.headers.map((header) => (
                <th scope="col" key={header}>
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      </div>
      <p className="table-hint" aria-hidden="true">
        Scroll the table sideways to see every column →
      </p>
    </div>
  );
}
