import type { ReactNode } from 'react';
import { CheckboxField } from '../../components/Field';
import { useT } from '../../i18n';
import type { Role } from '../../session';
import { ROLES } from './roles';

/** A person's roles as a labelled group of checkboxes: a person may hold several. */
export function RoleChoices({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
}): ReactNode {
  const t = useT();
  return (
    <fieldset className="admin-choices admin-wide">
      <legend>{legend}</legend>
      {ROLES.map((role) => (
        <CheckboxField
          key={role}
          label={t(`role.${role}`)}
          checked={value.includes(role)}
          onChange={(event) =>
            onChange(
              event.target.checked
                ? ROLES.filter((held) => held === role || value.includes(held))
                : value.filter((held) => held !== role),
            )
          }
        />
      ))}
    </fieldset>
  );
}
