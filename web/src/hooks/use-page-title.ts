import { useEffect } from 'react';

/** Names the browser tab after the page, so history and screen readers say where one is. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Queuewatch`;
  }, [title]);
}
