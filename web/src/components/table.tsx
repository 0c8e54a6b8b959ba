import type { ReactNode } from 'react';

/** A data table with a caption (for screen readers) and column headers; rows come as children. */
export function Table(props: {
  caption: string;
  headers: readonly string[];
  children: ReactNode;
  testId?: string | undefined;
}) {
  return (
    <div className="table-wrap">
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
  );
}
