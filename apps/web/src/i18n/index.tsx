import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setFormatLocale } from '../format';
import { messages } from './messages';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

interface I18nState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nState | null>(null);

/** `{name}` placeholders filled from vars; a missing key shows itself, so it is seen and fixed. */
function translate(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  const text = messages[locale][key] ?? messages.ja[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Japanese unless the person chose otherwise; `<html lang>` follows, for screen readers. */
export function I18nProvider({ children }: { children: ReactNode }): ReactNode {
  const [locale, setLocaleState] = useState<Locale>('ja');
  setFormatLocale(locale);
  const setLocale = useCallback((next: Locale) => {
    setFormatLocale(next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo<I18nState>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nState {
  const state = useContext(I18nContext);
  if (!state) throw new Error('useT outside I18nProvider');
  return state;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}
