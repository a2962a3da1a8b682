import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiProblem, problemOf } from '../api/client';
import { Outcome, TextField } from '../components/Field';
import { useAction } from '../components/useAction';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useT } from '../i18n';
import { useFullSession } from '../session';

function retryAfterOf(problem: ApiProblem): number | null {
  const details = problem.details as { retryAfterSeconds?: unknown } | null;
  return typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : null;
}

/** Email and password; a locked account is told how long to wait. */
export function SignInPage(): ReactNode {
  const t = useT();
  const { signIn } = useFullSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const signedIn = await run(
      () => signIn(email.trim(), password),
      (problem) => {
        if (problem instanceof ApiProblem && problem.status === 423) {
          const seconds = retryAfterOf(problem);
          return seconds == null
            ? t('signIn.locked')
            : t('signIn.lockedFor', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
        }
        if (problem instanceof ApiProblem && problem.status === 401) return t('signIn.invalid');
        return problemOf(problem);
      },
    );
    if (!signedIn) setPassword('');
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-top">
        <span className="brand">Trialfleet</span>
        <LanguageSwitch />
      </div>
      <h1 ref={heading} tabIndex={-1}>
        {t('signIn.title')}
      </h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={t('signIn.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy || !email || !password}>
          {busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
        <Outcome error={error} />
      </form>
      <p className="sign-in-apply">
        {t('signIn.applyIntro')} <Link to="/apply">{t('signIn.apply')}</Link>
      </p>
    </main>
  );
}
