import { type ReactNode, type RefObject, Suspense, useEffect, useRef } from 'react';
import { matchPath, Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { LanguageSwitch } from './components/LanguageSwitch';
import { type Translate, useT } from './i18n';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { SignInPage } from './pages/SignInPage';
import { type ConsoleRoute, mayOpen, PUBLIC_ROUTES, type PublicRoute, ROUTES } from './routes';
import { useFullSession } from './session';

const SECTIONS = ['desk', 'technician', 'sales', 'secretariat', 'groups', 'admin'] as const;

function Navigation({ routes, t }: { routes: ConsoleRoute[]; t: Translate }): ReactNode {
  return (
    <nav aria-label={t('nav.label')} className="nav">
      {SECTIONS.map((section) => {
        const entries = routes.filter((route) => route.section === section && route.navKey);
        if (!entries.length) return null;
        return (
          <div key={section} className="nav-section">
            <h2 className="nav-title">{t(`nav.section.${section}`)}</h2>
            <ul>
              {entries.map((route) => (
                <li key={route.path}>
                  <NavLink to={route.path}>{t(route.navKey!)}</NavLink>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

/** After a page change, the focus goes to the new page's main landmark (as a full load would). */
function useFocusOnNavigation(): RefObject<HTMLElement | null> {
  const main = useRef<HTMLElement>(null);
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);
  return main;
}

function NotAllowed({ t }: { t: Translate }): ReactNode {
  return (
    <section>
      <h1>{t('common.forbidden.title')}</h1>
      <p>{t('common.forbidden.text')}</p>
    </section>
  );
}

/** A public page (no sign-in): the brand and the language switch above it, nothing else. */
function PublicPage({ route, t }: { route: PublicRoute; t: Translate }): ReactNode {
  return (
    <div className="public">
      <header className="public-top">
        <span className="brand">Trialfleet</span>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <Suspense
          fallback={
            <p role="status" className="muted">
              {t('common.loading')}
            </p>
          }
        >
          {/* Inside a route, so the page reads its parameters (the questionnaire's token). */}
          <Routes>
            <Route path={route.path} element={<route.page />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}

/** The shell: skip link, header (who, language, sign-out), navigation by role, the page. */
export function App(): ReactNode {
  const t = useT();
  const session = useFullSession();
  const main = useFocusOnNavigation();
  const location = useLocation();
  const { user } = session;

  // The public web form neither needs nor waits for a session.
  const open = PUBLIC_ROUTES.find((route) => matchPath(route.path, location.pathname));
  if (open) return <PublicPage route={open} t={t} />;

  if (!session.checked) {
    return (
      <p className="loading-shell" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (!user) return <SignInPage />;
  if (user.mustChangePassword) return <ChangePasswordPage />;

  const allowed = ROUTES.filter((route) => mayOpen(route, session.hasRole));
  const home = allowed.find((route) => route.navKey)?.path ?? '/desk/fleet';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="top">
        <span className="brand">Trialfleet</span>
        <span className="who">
          {user.name}
          <span className="muted"> ({user.roles.map((role) => t(`role.${role}`)).join(', ')})</span>
        </span>
        <LanguageSwitch />
        <button type="button" onClick={() => void session.signOut()}>
          {t('common.signOut')}
        </button>
      </header>
      <div className="body">
        <Navigation routes={allowed} t={t} />
        <main id="main" ref={main} tabIndex={-1}>
          <Suspense
            fallback={
              <p role="status" className="muted">
                {t('common.loading')}
              </p>
            }
          >
            <Routes>
              <Route path="/" element={<Navigate to={home} replace />} />
              {ROUTES.map((route) => (
                <Route
                  key={route.path}
                  path={route.path}
                  element={mayOpen(route, session.hasRole) ? <route.page /> : <NotAllowed t={t} />}
                />
              ))}
              <Route path="*" element={<NotFound t={t} />} />
            </Routes>
          </Suspense>
        </main>
      </div>
    </div>
  );
}

function NotFound({ t }: { t: Translate }): ReactNode {
  const location = useLocation();
  return (
    <section>
      <h1>{t('common.notFound.title')}</h1>
      <p>{t('common.notFound.text', { path: location.pathname })}</p>
    </section>
  );
}
