import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';

interface Labelled {
  label: string;
  /** A hint under the control, read out with it. */
  hint?: string;
  /** A problem with the value, shown in red and read out with it. */
  error?: string | null;
}

function describedBy(id: string, hint?: string, error?: string | null): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Notes({ id, hint, error }: { id: string; hint?: string; error?: string | null }) {
  return (
    <>
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** A labelled `<input>`; every other attribute passes through. */
export function TextField({
  label,
  hint,
  error,
  ...input
}: Labelled & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled `<textarea>`. */
export function TextAreaField({
  label,
  hint,
  error,
  ...textarea
}: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...textarea}
      />
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled `<select>`; `placeholder` adds a first empty choice. */
export function SelectField({
  label,
  hint,
  error,
  options,
  placeholder,
  ...select
}: Labelled &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: Option[];
    placeholder?: string;
  }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...select}
      >
        {placeholder != null ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A checkbox with its label after it. */
export function CheckboxField({
  label,
  hint,
  ...input
}: Omit<Labelled, 'error'> & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" aria-describedby={describedBy(id, hint)} {...input} />
      <label htmlFor={id}>{label}</label>
      <Notes id={id} hint={hint} />
    </div>
  );
}

/** The outcome of an action: an error is announced at once (alert), a success politely. */
export function Outcome({
  error,
  done,
}: {
  error?: string | null;
  done?: string | null;
}): ReactNode {
  return (
    <>
      <p role="alert" className="error" hidden={!error}>
        {error}
      </p>
      <p role="status" className="done" tabIndex={-1}>
        {done}
      </p>
    </>
  );
}
