import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { api, dataOf, setCsrfToken, whenSignedOut } from './api/client';
import type { components } from './api/schema';
import { type Locale, useLocale } from './i18n';

/** The person signed in, as `GET /auth/me` describes them (the API's own schema). */
export type User = components['schemas']['UserResponseDto'];
export type Role = User['roles'][number];

/** `POST /auth/login` and `GET /auth/me`; `csrfToken` is null for an API token, which needs none. */
type SignedIn = components['schemas']['SessionResponseDto'];

interface SessionState {
  /** null until the first `GET /auth/me` has answered. */
  checked: boolean;
  user: User | null;
  hasRole: (...roles: Role[]) => boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  changePassword: (currentPassword: string, newPassword: string) => Promise<void>;
  /** The language, kept on the person's account when someone is signed in. */
  chooseLocale: (locale: Locale) => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const { setLocale } = useLocale();
  const [checked, setChecked] = useState(false);
  const [user, setUser] = useState<User | null>(null);

  const begin = useCallback(
    (next: SignedIn) => {
      setCsrfToken(next.csrfToken);
      setLocale(next.user.locale);
      setUser(next.user);
    },
    [setLocale],
  );

  const forget = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    whenSignedOut(forget);
    let live = true;
    dataOf(api.GET('/auth/me'))
      .then(
        (signedIn) => live && begin(signedIn),
        () => undefined,
      )
      .finally(() => live && setChecked(true));
    return () => {
      live = false;
      whenSignedOut(null);
    };
  }, [begin, forget]);

  const value = useMemo<SessionState>(
    () => ({
      checked,
      user,
      hasRole: (...roles) => user != null && user.roles.some((role) => roles.includes(role)),
      signIn: async (email, password) => {
        begin(await dataOf(api.POST('/auth/login', { body: { email, password } })));
      },
      signOut: async () => {
        await api.POST('/auth/logout');
        forget();
      },
      changePassword: async (currentPassword, newPassword) => {
        await dataOf(api.POST('/auth/password', { body: { currentPassword, newPassword } }));
        begin(await dataOf(api.GET('/auth/me')));
      },
      chooseLocale: async (locale) => {
        setLocale(locale);
        if (user) {
          const saved = await dataOf(api.PATCH('/auth/me', { body: { locale } }));
          setUser(saved.user);
        }
      },
    }),
    [checked, user, begin, forget, setLocale],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useFullSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The person signed in and what they may do. */
export function useSession(): {
  user: User | null;
  hasRole: (...roles: Role[]) => boolean;
  signOut: () => Promise<void>;
} {
  const { user, hasRole, signOut } = useFullSession();
  return { user, hasRole, signOut };
}
