import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDateTime, formatDuration } from '../../format';
import { useT } from '../../i18n';

export type Schemas = components['schemas'];
export type Appliance = Schemas['ApplianceResponseDto'];
export type Alert = Schemas['AlertResponseDto'];
export type Incident = Schemas['IncidentResponseDto'];
export type IncidentDetail = Schemas['IncidentDetailResponseDto'];
export type ConfigRevision = Schemas['ConfigRevisionDto'];

export type FleetHealth = Schemas['FleetHealthDto'];
export type ApplianceHealth = Schemas['ApplianceHealthDto'];
export type HealthPoint = Schemas['HealthPointDto'];
export type Job = Schemas['JobResponseDto'];

export function shortId(id: string | null | undefined): string {
  return String(id ?? '').slice(0, 8);
}

/** A health status, coloured, with its word (never colour alone). */
export function StatusBadge({ status }: { status: string | null | undefined }): ReactNode {
  const t = useT();
  const known = ['healthy', 'degraded', 'offline', 'unknown'].includes(status ?? '')
    ? status!
    : 'unknown';
  return <span className={`badge badge-${known}`}>{t(`desk.health.${known}`)}</span>;
}

export function SeverityBadge({ severity }: { severity: string }): ReactNode {
  const t = useT();
  return <span className={`sev sev-${severity}`}>{t(`desk.severity.${severity}`)}</span>;
}

/** How long ago, with the Tokyo time beside it; `<time>` carries the instant itself. */
export function Ago({
  iso,
  compact,
}: {
  iso: string | null | undefined;
  compact?: boolean;
}): ReactNode {
  const t = useT();
  if (!iso) return <>—</>;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return <>—</>;
  return (
    <time dateTime={iso} title={`${formatDateTime(iso)} JST`}>
      {t('desk.ago', { duration: formatDuration(Date.now() - ms) })}
      {compact ? null : <span className="muted small block">{formatDateTime(iso)}</span>}
    </time>
  );
}

const serials = new Map<string, Promise<string | null>>();

/** A link to an appliance's page, named by its serial (looked up when the caller has none). */
export function ApplianceLink({ id, serial }: { id: string; serial?: string | null }): ReactNode {
  const t = useT();
  const [found, setFound] = useState<string | null>(null);
  useEffect(() => {
    if (serial) return;
    let live = true;
    void remembered(serials, id, () =>
      dataOf(api.GET('/appliances/{id}', { params: { path: { id } } })).then((a) => a.serial),
    ).then((value) => live && setFound(value));
    return () => {
      live = false;
    };
  }, [id, serial]);
  const label = serial || found || shortId(id);
  return (
    <Link to={`/desk/appliances/${id}`} aria-label={t('desk.appliance.open', { serial: label })}>
      {label}
    </Link>
  );
}

/** One lookup per id for the page's life; a failed one is forgotten so a later render retries. */
function remembered(
  cache: Map<string, Promise<string | null>>,
  id: string,
  load: () => Promise<string>,
): Promise<string | null> {
  if (!cache.has(id)) {
    cache.set(
      id,
      load().catch(() => {
        cache.delete(id);
        return null;
      }),
    );
  }
  return cache.get(id)!;
}

const companyNames = new Map<string, Promise<string | null>>();

/**
 * Company names asked for in the same tick, fetched together: a page of 50 rows costs one
 * `GET /companies?ids=` (100 ids at most each), not 50 requests.
 */
const pendingNames = new Map<
  string,
  { resolve: (name: string) => void; reject: (error: unknown) => void }
>();
let namesScheduled = false;

function companyNameOf(id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    pendingNames.set(id, { resolve, reject });
    if (namesScheduled) return;
    namesScheduled = true;
    setTimeout(() => {
      namesScheduled = false;
      const asked = new Map(pendingNames);
      pendingNames.clear();
      const ids = [...asked.keys()];
      for (let from = 0; from < ids.length; from += 100) {
        const chunk = ids.slice(from, from + 100);
        dataOf(api.GET('/companies', { params: { query: { ids: chunk.join(','), limit: 100 } } }))
          .then((page) => {
            for (const company of page.items) asked.get(company.id)?.resolve(company.name);
            // An id the API does not know stays unnamed (shown as its short form).
            for (const missing of chunk.filter((id) => !page.items.some((c) => c.id === id))) {
              asked.get(missing)?.resolve(shortId(missing));
            }
          })
          .catch((error: unknown) => {
            for (const id of chunk) asked.get(id)?.reject(error);
          });
      }
    }, 0);
  });
}

/** A company's name, looked up once per page load and shared by every cell that shows it. */
export function CompanyName({ id }: { id: string | null | undefined }): ReactNode {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    void remembered(companyNames, id, () => companyNameOf(id)).then(
      (found) => live && setName(found),
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (!id) return <>—</>;
  return <span lang="ja">{name ?? shortId(id)}</span>;
}

/** Re-runs `load` every `ms` while the page is open and visible. */
export function useRefresh(load: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) load();
    }, ms);
    return () => clearInterval(timer);
  }, [load, ms]);
}
