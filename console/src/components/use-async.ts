import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';

/** The state of one load from the API. */
export interface AsyncState<T> {
  data?: T;
  error?: string;
  /** True until the load for the current `deps` has answered (the previous answer stays shown meanwhile). */
  loading: boolean;
  /** Loads again (after a change the page made). */
  reload(): void;
}

/** Runs `load` when `deps` change; keeps the API's message on failure. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([...deps, generation]);
  const [result, setResult] = useState<{ key?: string; data?: T; error?: string }>({});
  useEffect(() => {
    let active = true;
    load().then(
      (data) => active && setResult({ key, data }),
      (error: unknown) => active && setResult({ key, error: messageOf(error) }),
    );
    return () => {
      active = false;
    };
    // `load` is a fresh closure on every render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: result.data, error: result.key === key ? result.error : undefined, loading: result.key !== key, reload };
}
