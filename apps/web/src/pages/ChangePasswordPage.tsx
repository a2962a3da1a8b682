import { type FormEvent, type ReactNode, useState } from 'react';
import { Outcome, TextField } from '../components/Field';
import { useAction } from '../components/useAction';
import { useT } from '../i18n';
import { useFullSession } from '../session';

/** A password set by an admin must be replaced before anything else. */
export function ChangePasswordPage(): ReactNode {
  const t = useT();
  const { changePassword, signOut } = useFullSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (next !== again) {
      setError(t('password.mismatch'));
      return;
    }
    await run(() => changePassword(current, next));
  };

  return (
    <main id="main" className="sign-in">
      <h1>{t('password.title')}</h1>
      <p>{t('password.why')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={t('password.current')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
        />
        <TextField
          label={t('password.new')}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(event) => setNext(event.target.value)}
        />
        <TextField
          label={t('password.again')}
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(event) => setAgain(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy || !current || !next}>
          {t('password.submit')}
        </button>
        <button type="button" onClick={() => void signOut()}>
          {t('common.signOut')}
        </button>
        <Outcome error={error} />
      </form>
    </main>
  );
}
