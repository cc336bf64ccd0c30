import { useEffect } from 'react';

/** Sets the document title, so a screen reader (and the tab) says which page this is. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · RWS console`;
  }, [title]);
}
