import { useCallback, useState } from 'react';
import { problemOf } from '../api/client';

export interface Action {
  /** True while the work runs: the form's button waits. */
  busy: boolean;
  /** What went wrong the last time, in the API's words; null when nothing did. */
  error: string | null;
  /** For a check the form makes itself before sending. */
  setError: (error: string | null) => void;
  /**
   * Runs the work; a failure becomes `error`, in the words `explain` gives it (the API's by
   * default). True when the work succeeded.
   */
  run: (work: () => Promise<void>, explain?: (problem: unknown) => string) => Promise<boolean>;
}

/** The one submit pattern of the console's forms: busy while sending, the problem shown after. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (
      work: () => Promise<void>,
      explain: (problem: unknown) => string = problemOf,
    ): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await work();
        return true;
      } catch (problem) {
        setError(explain(problem));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, setError, run };
}
