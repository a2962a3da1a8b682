import { type ReactNode, useState } from 'react';
import { problemOf } from '../api/client';
import { LOCALES, useLocale, useT } from '../i18n';
import { useFullSession } from '../session';

/** Two buttons, each named in its own language; the one in use is pressed. */
export function LanguageSwitch(): ReactNode {
  const t = useT();
  const { locale } = useLocale();
  const { chooseLocale } = useFullSession();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="language" role="group" aria-label={t('common.language')}>
      {LOCALES.map((choice) => (
        <button
          key={choice}
          type="button"
          lang={choice}
          aria-pressed={choice === locale}
          onClick={() => {
            setError(null);
            chooseLocale(choice).catch((problem: unknown) => setError(problemOf(problem)));
          }}
        >
          {choice === 'ja' ? '日本語' : 'English'}
        </button>
      ))}
      {error ? (
        <span role="alert" className="error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
