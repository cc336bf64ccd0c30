import { useCallback, useState } from 'react';
import { messageOf } from '../../api/api-error';

/** One change an operator page makes: busy while it runs, then the API's message or a confirmation. */
export interface Action {
  busy: boolean;
  error?: string;
  notice?: string;
  /** Runs `change`; on success shows `notice` and calls `after` (usually a reload of the page's data). */
  run(change: () => Promise<unknown>, notice: string, after?: () => void): Promise<boolean>;
}

export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error?: string; notice?: string }>({ busy: false });
  const run = useCallback(async (change: () => Promise<unknown>, notice: string, after?: () => void) => {
    setState({ busy: true });
    try {
      await change();
      setState({ busy: false, notice });
      after?.();
      return true;
    } catch (error) {
      setState({ busy: false, error: messageOf(error) });
      return false;
    }
  }, []);
  return { ...state, run };
}
