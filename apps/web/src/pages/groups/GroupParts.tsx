import type { ReactNode } from 'react';
import { SelectField, TextField } from '../../components/Field';
import { formatYen } from '../../format';
import { type Translate, useT } from '../../i18n';
import type { CompanyListItem } from '../technician/records';
import type { Eligibility } from './records';

export function Fact({ term, children }: { term: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

/** A failed rule in the programme's words; a rule the console has no words for, in the API's. */
export function reasonText(t: Translate, eligibility: Eligibility, index: number): string {
  const reason = eligibility.reasons[index];
  const key = `groups.reason.${reason.code}`;
  const text = t(key, { members: eligibility.members, sme: eligibility.smeMembers });
  return text === key ? reason.message : text;
}

/** Eligible, or not with how many rules failed (the group's page lists them). */
export function EligibilityBadge({ eligibility }: { eligibility: Eligibility }): ReactNode {
  const t = useT();
  return eligibility.eligible ? (
    <span className="badge badge-eligible">{t('groups.eligible')}</span>
  ) : (
    <span className="badge badge-ineligible">
      {t('groups.ineligible', { count: eligibility.reasons.length })}
    </span>
  );
}

/** The judgement and every failed rule, each on its own line. */
export function EligibilityDetails({ eligibility }: { eligibility: Eligibility }): ReactNode {
  const t = useT();
  return (
    <>
      <EligibilityBadge eligibility={eligibility} />{' '}
      <span className="muted">
        {t('groups.eligibility.share', {
          sme: eligibility.smeMembers,
          members: eligibility.members,
        })}
      </span>
      {eligibility.reasons.length ? (
        <ul className="groups-reasons">
          {eligibility.reasons.map((reason, index) => (
            <li key={reason.code}>{reasonText(t, eligibility, index)}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/**
 * Money used against its cap, as a bar and as figures (the figures are what is read out): spent,
 * cap and what remains; `compact` (in a table whose cells already give the figures) shows the
 * share used only.
 */
export function MoneyBar({
  used,
  cap,
  label,
  compact = false,
}: {
  used: number;
  cap: number;
  label: string;
  compact?: boolean;
}): ReactNode {
  const t = useT();
  const share = cap > 0 ? Math.min(Math.floor((used * 100) / cap), 100) : 100;
  return (
    <span className="groups-money">
      <meter
        min={0}
        max={Math.max(cap, 1)}
        value={Math.min(used, cap)}
        high={cap * 0.9}
        optimum={0}
        aria-hidden="true"
      />
      <span className={used >= cap ? 'num full' : 'num'}>
        {compact
          ? t('groups.money.share', { share })
          : t('groups.money.usedOfCap', {
              label,
              used: formatYen(used),
              cap: formatYen(cap),
              remaining: formatYen(Math.max(cap - used, 0)),
            })}
      </span>
    </span>
  );
}

/** A company found by name: the search box and the pick list of what the API found. */
export function CompanySearchFields({
  searchLabel,
  pickLabel,
  hint,
  search,
  onSearch,
  companies,
  error,
  companyId,
  onPick,
}: {
  searchLabel: string;
  pickLabel: string;
  hint?: string;
  search: string;
  onSearch: (search: string) => void;
  companies: readonly CompanyListItem[];
  error?: string | null;
  companyId: string;
  onPick: (companyId: string) => void;
}): ReactNode {
  const t = useT();
  return (
    <>
      <TextField
        label={searchLabel}
        type="search"
        maxLength={100}
        value={search}
        hint={hint}
        error={error}
        onChange={(event) => onSearch(event.target.value)}
      />
      <SelectField
        label={pickLabel}
        required
        value={companyId}
        placeholder={t('groups.choose')}
        options={companies.map((company) => ({ value: company.id, label: company.name }))}
        onChange={(event) => onPick(event.target.value)}
      />
    </>
  );
}
