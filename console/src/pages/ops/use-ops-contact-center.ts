import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

const REMEMBERED = 'rws.ops.ccid';

/**
 * The contact center an operator page works on: `?ccid=` in the address (so a link or a reload keeps it),
 * else the one chosen last on another operator page of this tab.
 */
export function useOpsContactCenter(): [string | undefined, (ccid: string) => void] {
  const [params, setParams] = useSearchParams();
  const ccid = params.get('ccid') ?? sessionStorage.getItem(REMEMBERED) ?? undefined;
  const choose = useCallback(
    (next: string) => {
      sessionStorage.setItem(REMEMBERED, next);
      setParams((current) => {
        const updated = new URLSearchParams(current);
        updated.set('ccid', next);
        return updated;
      }, { replace: true });
    },
    [setParams],
  );
  return [ccid, choose];
}
