import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextAreaField, TextField } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDate, formatYen, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { chosen, pageOf } from '../technician/records';
import { MoneyBar } from './GroupParts';
import { GroupPurchases } from './GroupPurchases';
import {
  type Budget,
  COST_CATEGORIES,
  type Cost,
  type CostCategory,
  explainGroupProblem,
  type GroupDetail,
  reportPath,
  wholeYen,
} from './records';

const PAGE_SIZE = 50;

/**
 * The money of a selected group: the budget per fiscal year (the coordinator's costs, tax
 * included, against the year's cap), the costs and the form that records one, the purchase
 * subsidies, and the federation's report of each fiscal year.
 */
export function GroupMoney({ group }: { group: GroupDetail }): ReactNode {
  const t = useT();
  const [budget, setBudget] = useState<Budget | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      setBudget(
        await dataOf(api.GET('/groups/{id}/budget', { params: { path: { id: group.id } } })),
      );
      setError(null);
    } catch (problem) {
      setError(explainGroupProblem(t, problem));
    }
  }, [group.id, t]);

  useEffect(() => {
    void load();
  }, [load, version]);

  if (group.state !== 'selected') {
    return (
      <section className="groups-panel" aria-labelledby="group-money">
        <h2 id="group-money">{t('groups.budget.title')}</h2>
        <p className="muted">{t('groups.money.notSelected')}</p>
      </section>
    );
  }

  const years = budget?.fiscalYears ?? [];
  return (
    <>
      <section className="groups-panel" aria-labelledby="group-money">
        <h2 id="group-money">{t('groups.budget.title')}</h2>
        <p className="muted">{t('groups.budget.intro')}</p>
        <p role="alert" className="error" hidden={!error}>
          {error}
        </p>
        {budget ? (
          <ScrollBox label={t('groups.budget.title')}>
            <table className="groups-budget">
              <thead>
                <tr>
                  <th scope="col">{t('groups.budget.col.fiscalYear')}</th>
                  <th scope="col">{t('groups.budget.col.period')}</th>
                  <th scope="col">{t('groups.budget.col.cap')}</th>
                  <th scope="col">{t('groups.budget.col.spent')}</th>
                  <th scope="col">{t('groups.budget.col.remaining')}</th>
                  <th scope="col">{t('groups.budget.col.use')}</th>
                </tr>
              </thead>
              <tbody>
                {years.map((year) => (
                  <tr key={year.fiscalYear}>
                    <th scope="row" data-label={t('groups.budget.col.fiscalYear')}>
                      {t('groups.fiscalYear', { year: year.fiscalYear })}
                    </th>
                    <td data-label={t('groups.budget.col.period')}>
                      {formatDate(year.startsOn)} – {formatDate(year.endsOn)}
                    </td>
                    <td className="num" data-label={t('groups.budget.col.cap')}>
                      {formatYen(year.capYen)}
                    </td>
                    <td className="num" data-label={t('groups.budget.col.spent')}>
                      {formatYen(year.spentYen)}
                    </td>
                    <td className="num" data-label={t('groups.budget.col.remaining')}>
                      {formatYen(year.remainingYen)}
                    </td>
                    <td data-label={t('groups.budget.col.use')}>
                      <MoneyBar
                        used={year.spentYen}
                        cap={year.capYen}
                        label={t('groups.fiscalYear', { year: year.fiscalYear })}
                        compact
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" data-label={t('groups.budget.col.fiscalYear')}>
                    {t('groups.budget.total')}
                  </th>
                  <td data-label={t('groups.budget.col.period')} />
                  <td className="num" data-label={t('groups.budget.col.cap')}>
                    {formatYen(budget.totalCapYen)}
                  </td>
                  <td className="num" data-label={t('groups.budget.col.spent')}>
                    {formatYen(budget.totalSpentYen)}
                  </td>
                  <td className="num" data-label={t('groups.budget.col.remaining')}>
                    {formatYen(Math.max(budget.totalCapYen - budget.totalSpentYen, 0))}
                  </td>
                  <td data-label={t('groups.budget.col.use')}>
                    <MoneyBar
                      used={budget.totalSpentYen}
                      cap={budget.totalCapYen}
                      label={t('groups.budget.total')}
                      compact
                    />
                  </td>
                </tr>
              </tfoot>
            </table>
          </ScrollBox>
        ) : (
          <p role="status" className="muted">
            {t('common.loading')}
          </p>
        )}
      </section>
      <GroupCosts
        group={group}
        fiscalYears={years.map((year) => year.fiscalYear)}
        version={version}
        onRecorded={() => setVersion((v) => v + 1)}
      />
      <GroupPurchases group={group} />
      <section className="groups-panel" aria-labelledby="group-reports">
        <h2 id="group-reports">{t('groups.report.title')}</h2>
        <p className="muted">{t('groups.report.intro')}</p>
        {years.length ? (
          <ul className="groups-plain groups-reports">
            {years.map((year) => {
              const label = t('groups.fiscalYear', { year: year.fiscalYear });
              return (
                <li key={year.fiscalYear}>
                  <a
                    href={reportPath(group.id, year.fiscalYear, 'html')}
                    target="_blank"
                    rel="noopener"
                  >
                    {t('groups.report.htmlOf', { year: label })}
                  </a>{' '}
                  <a href={reportPath(group.id, year.fiscalYear, 'csv')} download>
                    {t('groups.report.csvOf', { year: label })}
                  </a>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="muted">{t('groups.report.none')}</p>
        )}
      </section>
    </>
  );
}

/** The coordinator's costs of one fiscal year (or all), and the form recording one. */
function GroupCosts({
  group,
  fiscalYears,
  version,
  onRecorded,
}: {
  group: GroupDetail;
  fiscalYears: number[];
  version: number;
  onRecorded: () => void;
}): ReactNode {
  const t = useT();
  const [fiscalYear, setFiscalYear] = useState('');
  const [incurredOn, setIncurredOn] = useState(tokyoToday());
  const [category, setCategory] = useState<CostCategory>('coordination');
  const [amount, setAmount] = useState('');
  const [documentReference, setDocumentReference] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  const columns: Array<Column<Cost>> = [
    {
      key: 'incurredOn',
      header: t('groups.costs.col.incurredOn'),
      cell: (row) => formatDate(row.incurredOn),
      csv: (row) => row.incurredOn,
    },
    {
      key: 'fiscalYear',
      header: t('groups.costs.col.fiscalYear'),
      cell: (row) => t('groups.fiscalYear', { year: row.fiscalYear }),
      csv: (row) => String(row.fiscalYear),
    },
    {
      key: 'category',
      header: t('groups.costs.col.category'),
      cell: (row) => t(`groups.cost.category.${row.category}`),
      csv: (row) => row.category,
    },
    {
      key: 'amount',
      header: t('groups.costs.col.amount'),
      cell: (row) => <span className="num">{formatYen(row.amountYen)}</span>,
      csv: (row) => String(row.amountYen),
    },
    {
      key: 'document',
      header: t('groups.costs.col.document'),
      cell: (row) => row.documentReference,
      csv: (row) => row.documentReference,
    },
    {
      key: 'note',
      header: t('groups.costs.col.note'),
      cell: (row) => row.note ?? '',
      csv: (row) => row.note ?? '',
    },
  ];

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const amountYen = wholeYen(amount);
    if (amountYen == null || amountYen <= 0) {
      setError(t('groups.costs.amountInvalid'));
      return;
    }
    await run(
      async () => {
        const cost = await dataOf(
          api.POST('/groups/{id}/costs', {
            params: { path: { id: group.id } },
            body: {
              incurredOn,
              category,
              amountYen,
              documentReference: documentReference.trim(),
              ...(note.trim() ? { note: note.trim() } : {}),
            },
          }),
        );
        setAmount('');
        setDocumentReference('');
        setNote('');
        setDone(
          t('groups.costs.recorded', {
            amount: formatYen(cost.amountYen),
            year: t('groups.fiscalYear', { year: cost.fiscalYear }),
          }),
        );
        onRecorded();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  return (
    <section className="groups-panel" aria-labelledby="group-costs">
      <h2 id="group-costs">{t('groups.costs.title')}</h2>
      <form className="groups-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('groups.costs.incurredOn')}
          type="date"
          required
          value={incurredOn}
          onChange={(event) => setIncurredOn(event.target.value)}
        />
        <SelectField
          label={t('groups.costs.category')}
          value={category}
          options={COST_CATEGORIES.map((value) => ({
            value,
            label: t(`groups.cost.category.${value}`),
          }))}
          onChange={(event) => setCategory(event.target.value as CostCategory)}
        />
        <TextField
          label={t('groups.costs.amount')}
          required
          inputMode="numeric"
          hint={t('groups.costs.amountHint')}
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
        />
        <TextField
          label={t('groups.costs.document')}
          required
          maxLength={100}
          hint={t('groups.costs.documentHint')}
          value={documentReference}
          onChange={(event) => setDocumentReference(event.target.value)}
        />
        <TextAreaField
          label={t('groups.costs.note')}
          maxLength={2000}
          rows={2}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <div className="groups-buttons">
          <button type="submit" disabled={busy}>
            {t('groups.costs.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
      <div className="groups-filters">
        <SelectField
          label={t('groups.costs.filter.fiscalYear')}
          value={fiscalYear}
          placeholder={t('common.all')}
          options={fiscalYears.map((year) => ({
            value: String(year),
            label: t('groups.fiscalYear', { year }),
          }))}
          onChange={(event) => setFiscalYear(event.target.value)}
        />
      </div>
      <DataTable<Cost>
        caption={t('groups.costs.caption')}
        columns={columns}
        resetKey={`${fiscalYear}:${version}`}
        csvFileName={`group-costs-${tokyoToday()}.csv`}
        fetchPage={(cursor) =>
          pageOf(
            api.GET('/groups/{id}/costs', {
              params: {
                path: { id: group.id },
                query: {
                  limit: PAGE_SIZE,
                  ...(fiscalYear ? { fiscalYear: Number(fiscalYear) } : {}),
                  ...chosen({ cursor: cursor ?? '' }),
                },
              },
            }),
          )
        }
      />
    </section>
  );
}
