import { type FormEvent, type ReactNode, useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { TextField } from '../../components/Field';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import type { Schemas } from './desk-shared';

type AuditEvent = Schemas['AuditEventDto'];

function changeText(value: unknown): string {
  return value == null ? '—' : JSON.stringify(value);
}

/** Who changed what and when, for one thing (`?entityType=&entityId=`) or for everything. */
export function AuditPage(): ReactNode {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const entityType = params.get('entityType') ?? '';
  const entityId = params.get('entityId') ?? '';
  const action = params.get('action') ?? '';
  const [form, setForm] = useState({ entityType, entityId, action });

  const fetchPage = useCallback(
    (cursor: string | null) =>
      dataOf(
        api.GET('/audit', {
          params: {
            query: {
              limit: 50,
              ...(cursor ? { cursor } : {}),
              ...(entityType ? { entityType } : {}),
              ...(entityId ? { entityId } : {}),
              ...(action ? { action } : {}),
            },
          },
        }),
      ),
    [entityType, entityId, action],
  );

  const columns: Array<Column<AuditEvent>> = [
    {
      key: 'at',
      header: t('desk.audit.at'),
      cell: (row) => <time dateTime={row.at}>{formatDateTime(row.at)}</time>,
      csv: (row) => row.at,
    },
    {
      key: 'actor',
      header: t('desk.audit.actor'),
      cell: (row) => `${row.actor.name} (${row.actor.role})`,
      csv: (row) => `${row.actor.name} (${row.actor.role})`,
    },
    {
      key: 'action',
      header: t('desk.audit.action'),
      cell: (row) => <code>{row.action}</code>,
      csv: (row) => row.action,
    },
    {
      key: 'entity',
      header: t('desk.audit.entity'),
      cell: (row) => `${row.entityType} ${row.entityId.slice(0, 8)}`,
      csv: (row) => `${row.entityType} ${row.entityId}`,
    },
    {
      key: 'change',
      header: t('desk.audit.change'),
      cell: (row) => (
        <span className="change">
          <code>{changeText(row.before)}</code> → <code>{changeText(row.after)}</code>
          {row.reason ? <span className="block muted small">{row.reason}</span> : null}
        </span>
      ),
      csv: (row) => `${changeText(row.before)} -> ${changeText(row.after)}`,
    },
  ];

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('desk.audit.title')}</h1>
      <form
        className="filters"
        role="search"
        aria-label={t('common.filters')}
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          const next = new URLSearchParams();
          for (const [name, value] of Object.entries(form)) {
            if (value.trim()) next.set(name, value.trim());
          }
          setParams(next, { replace: true });
        }}
      >
        <TextField
          label={t('desk.audit.entityType')}
          hint="appliance, incident, alert…"
          value={form.entityType}
          onChange={(event) => setForm({ ...form, entityType: event.target.value })}
        />
        <TextField
          label={t('desk.audit.entityId')}
          value={form.entityId}
          onChange={(event) => setForm({ ...form, entityId: event.target.value })}
        />
        <TextField
          label={t('desk.audit.action')}
          value={form.action}
          onChange={(event) => setForm({ ...form, action: event.target.value })}
        />
        <button type="submit">{t('desk.search')}</button>
      </form>
      <DataTable
        caption={t('desk.audit.caption')}
        columns={columns}
        fetchPage={fetchPage}
        resetKey={`${entityType}|${entityId}|${action}`}
        csvFileName="audit.csv"
      />
    </section>
  );
}
