import { type FormEvent, type ReactNode, useState } from 'react';
import { api, ApiProblem, dataOf, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { type Column, DataTable } from '../../components/DataTable';
import { CheckboxField, Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import {
  type Appliance,
  type ApplianceState,
  APPLIANCE_STATES,
  chosen,
  pageOf,
  type Vendor,
  VENDORS,
} from './records';
import './technician.css';

const PAGE_SIZE = 50;

type ShippingListLine = components['schemas']['ShippingListLineDto'];
type ImportReport = components['schemas']['ApplianceImportResponseDto'];

/** Stock: receive one appliance or a vendor's shipping list; the list of appliances. */
export function StockPage(): ReactNode {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<ApplianceState | ''>('in_stock');
  const [vendor, setVendor] = useState<Vendor | ''>('');
  const [serial, setSerial] = useState('');

  const columns: Array<Column<Appliance>> = [
    {
      key: 'serial',
      header: t('technician.stock.col.serial'),
      cell: (row) => <span className="mono">{row.serial}</span>,
      csv: (row) => row.serial,
    },
    {
      key: 'vendor',
      header: t('technician.stock.col.vendor'),
      cell: (row) => t(`technician.vendor.${row.vendor}`),
      csv: (row) => row.vendor,
    },
    {
      key: 'model',
      header: t('technician.stock.col.model'),
      cell: (row) => row.model,
      csv: (row) => row.model,
    },
    {
      key: 'mac',
      header: t('technician.stock.col.mac'),
      cell: (row) => <span className="mono">{row.mac ?? '—'}</span>,
      csv: (row) => row.mac ?? '',
    },
    {
      key: 'firmware',
      header: t('technician.stock.col.firmware'),
      cell: (row) => row.firmware ?? '—',
      csv: (row) => row.firmware ?? '',
    },
    {
      key: 'management',
      header: t('technician.stock.col.management'),
      cell: (row) => (
        <span className="mono">
          {row.management.username}@{row.management.host}:{row.management.port}
        </span>
      ),
      csv: (row) => `${row.management.username}@${row.management.host}:${row.management.port}`,
    },
    {
      key: 'state',
      header: t('technician.stock.col.state'),
      cell: (row) => t(`technician.applianceState.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'received',
      header: t('technician.stock.col.received'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
  ];

  return (
    <div className="technician-page">
      <h1>{t('technician.stock.title')}</h1>
      <ReceiveForm onReceived={() => setVersion((current) => current + 1)} />
      <ShippingListForm onImported={() => setVersion((current) => current + 1)} />

      <section aria-labelledby="stock-list" className="technician-panel">
        <h2 id="stock-list">{t('technician.stock.listTitle')}</h2>
        <div className="technician-filters">
          <SelectField
            label={t('technician.stock.filter.state')}
            value={state}
            onChange={(event) => setState(event.target.value as ApplianceState | '')}
            placeholder={t('technician.filter.all')}
            options={APPLIANCE_STATES.map((value) => ({
              value,
              label: t(`technician.applianceState.${value}`),
            }))}
          />
          <SelectField
            label={t('technician.stock.filter.vendor')}
            value={vendor}
            onChange={(event) => setVendor(event.target.value as Vendor | '')}
            placeholder={t('technician.filter.all')}
            options={VENDORS.map((value) => ({ value, label: t(`technician.vendor.${value}`) }))}
          />
          <TextField
            label={t('technician.stock.filter.serial')}
            value={serial}
            maxLength={64}
            onChange={(event) => setSerial(event.target.value.trim())}
          />
        </div>
        <DataTable<Appliance>
          caption={t('technician.stock.caption')}
          columns={columns}
          resetKey={`${state}:${vendor}:${serial}:${version}`}
          csvFileName="appliances.csv"
          fetchPage={(cursor) =>
            pageOf(
              api.GET('/appliances', {
                params: {
                  query: {
                    limit: PAGE_SIZE,
                    ...chosen({ state, vendor, serial, cursor: cursor ?? '' }),
                  },
                },
              }),
            )
          }
        />
      </section>
    </div>
  );
}

const EMPTY_APPLIANCE = {
  serial: '',
  vendor: 'fortinet' as Vendor,
  model: '',
  mac: '',
  firmware: '',
  host: '',
  port: '22',
  username: 'admin',
  password: '',
};

/** One appliance into stock. The password is sent once and never shown back. */
function ReceiveForm({ onReceived }: { onReceived: (appliance: Appliance) => void }): ReactNode {
  const t = useT();
  const [form, setForm] = useState(EMPTY_APPLIANCE);
  const { busy: saving, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const set =
    (field: keyof typeof EMPTY_APPLIANCE) =>
    (event: { target: { value: string } }): void =>
      setForm((current) => ({ ...current, [field]: event.target.value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    await run(async () => {
      const appliance = await dataOf(
        api.POST('/appliances', {
          body: {
            serial: form.serial.trim(),
            vendor: form.vendor,
            model: form.model.trim(),
            ...chosen({ mac: form.mac.trim(), firmware: form.firmware.trim() }),
            management: {
              host: form.host.trim(),
              port: Number(form.port),
              username: form.username.trim(),
              password: form.password,
            },
          },
        }),
      );
      // The next unit of the same shipment: keep vendor, model and access, clear the rest.
      setForm((current) => ({ ...current, serial: '', mac: '', password: '' }));
      setDone(t('technician.stock.received', { serial: appliance.serial }));
      onReceived(appliance);
    });
  };

  return (
    <section aria-labelledby="receive-one" className="technician-panel">
      <h2 id="receive-one">{t('technician.stock.receiveTitle')}</h2>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('technician.stock.serial')}
          value={form.serial}
          required
          maxLength={64}
          autoComplete="off"
          onChange={set('serial')}
        />
        <SelectField
          label={t('technician.stock.vendor')}
          value={form.vendor}
          onChange={set('vendor')}
          options={VENDORS.map((value) => ({ value, label: t(`technician.vendor.${value}`) }))}
        />
        <TextField
          label={t('technician.stock.model')}
          value={form.model}
          required
          maxLength={80}
          onChange={set('model')}
        />
        <TextField
          label={t('technician.stock.mac')}
          hint={t('technician.optional')}
          value={form.mac}
          maxLength={17}
          autoComplete="off"
          onChange={set('mac')}
        />
        <TextField
          label={t('technician.stock.firmware')}
          hint={t('technician.optional')}
          value={form.firmware}
          maxLength={80}
          onChange={set('firmware')}
        />
        <TextField
          label={t('technician.stock.host')}
          value={form.host}
          required
          maxLength={253}
          autoComplete="off"
          onChange={set('host')}
        />
        <TextField
          label={t('technician.stock.port')}
          type="number"
          min={1}
          max={65535}
          value={form.port}
          required
          onChange={set('port')}
        />
        <TextField
          label={t('technician.stock.username')}
          value={form.username}
          required
          maxLength={64}
          autoComplete="off"
          onChange={set('username')}
        />
        <TextField
          label={t('technician.stock.password')}
          hint={t('technician.stock.passwordHint')}
          type="password"
          value={form.password}
          maxLength={128}
          autoComplete="new-password"
          onChange={set('password')}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={saving}>
            {t('technician.stock.receive')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}

/** A vendor's shipping list, all or nothing, with its report line by line. */
function ShippingListForm({ onImported }: { onImported: () => void }): ReactNode {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [vendor, setVendor] = useState<Vendor | ''>('');
  const [dryRun, setDryRun] = useState(true);
  const [sending, setSending] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) return;
    setSending(true);
    setError(null);
    setDone(null);
    setReport(null);
    try {
      const text = await file.text();
      const result = await dataOf(
        api.POST('/appliances/import', {
          params: { query: { ...chosen({ vendor }), ...(dryRun ? { dryRun: true } : {}) } },
          body: text,
          // The shipping list goes as it is, not as JSON.
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
      setReport(result);
      setDone(
        result.dryRun
          ? t('technician.stock.import.checked', { count: result.rows.length })
          : t('technician.stock.import.imported', { count: result.imported }),
      );
      if (!result.dryRun) onImported();
    } catch (problem) {
      setError(problemOf(problem));
      // A refused list still reports every row (details.rows).
      const rows = problem instanceof ApiProblem ? rowsOf(problem.details) : null;
      if (rows) setReport({ dryRun, imported: 0, rows });
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="receive-list" className="technician-panel">
      <h2 id="receive-list">{t('technician.stock.import.title')}</h2>
      <p className="muted">{t('technician.stock.import.intro')}</p>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('technician.stock.import.file')}
          type="file"
          accept=".csv,text/csv"
          required
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <SelectField
          label={t('technician.stock.import.vendor')}
          hint={t('technician.stock.import.vendorHint')}
          value={vendor}
          onChange={(event) => setVendor(event.target.value as Vendor | '')}
          placeholder={t('technician.stock.import.vendorFromFile')}
          options={VENDORS.map((value) => ({ value, label: t(`technician.vendor.${value}`) }))}
        />
        <CheckboxField
          label={t('technician.stock.import.dryRun')}
          checked={dryRun}
          onChange={(event) => setDryRun(event.target.checked)}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={sending || !file}>
            {dryRun ? t('technician.stock.import.check') : t('technician.stock.import.send')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
      {report ? (
        <div className="table-scroll">
          <table>
            <caption>{t('technician.stock.import.report')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('technician.stock.import.line')}</th>
                <th scope="col">{t('technician.stock.col.serial')}</th>
                <th scope="col">{t('technician.stock.import.status')}</th>
                <th scope="col">{t('technician.stock.import.problems')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={row.line} className={row.status === 'error' ? 'row-error' : undefined}>
                  <td data-label={t('technician.stock.import.line')}>{row.line}</td>
                  <td data-label={t('technician.stock.col.serial')} className="mono">
                    {row.serial ?? '—'}
                  </td>
                  <td data-label={t('technician.stock.import.status')}>
                    {t(`technician.stock.import.row.${row.status}`)}
                  </td>
                  <td data-label={t('technician.stock.import.problems')}>
                    {row.problems.length ? (
                      <ul>
                        {row.problems.map((text) => (
                          <li key={text}>{text}</li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function rowsOf(details: unknown): ShippingListLine[] | null {
  if (typeof details !== 'object' || details === null) return null;
  const rows = (details as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as ShippingListLine[]) : null;
}
