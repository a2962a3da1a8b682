import { useMemo } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import type { Page } from '../../components/DataTable';

type Schemas = components['schemas'];

/*
 * The records the pages read, as the API's OpenAPI document describes them: a contract change
 * breaks the build.
 */
export type Appliance = Schemas['ApplianceResponseDto'];
export type ApplianceState = Appliance['state'];
export type Company = Schemas['CompanyResponseDto'];
/** A company as lists give it: without its contact person (read one company at a time). */
export type CompanyListItem = Schemas['CompanyListItemDto'];
export type Site = Schemas['SiteResponseDto'];
export type Enrollment = Schemas['EnrollmentResponseDto'];
export type Job = Schemas['JobResponseDto'];
export type WorkOrder = Schemas['WorkOrderResponseDto'];
export type Trial = Schemas['TrialResponseDto'];
export type Reminder = Schemas['NotificationResponseDto'];
export type InstallationChecklist = Schemas['InstallationChecklistDto'];

/** The states in the order of an appliance's life, for the filters. */
export const APPLIANCE_STATES = [
  'in_stock',
  'reserved',
  'installed',
  'removal_scheduled',
  'removed',
  'converted',
  'retired',
] as const satisfies readonly ApplianceState[];

export const FINAL_JOB_STATES: ReadonlySet<Job['state']> = new Set([
  'succeeded',
  'failed',
  'cancelled',
]);

/** The appliance vendors the API has a driver for (ApplianceCreateDto's enum). */
export type Vendor = Schemas['ApplianceCreateDto']['vendor'];
export const VENDORS: readonly Vendor[] = ['fortinet'];

/** The API's largest page, for the pick lists of a form. */
export const PICK_LIST_LIMIT = 500;

/** An API list answer, typed by the operation's documented answer. */
export function pageOf<T>(
  call: Promise<{ data?: Page<T>; error?: unknown; response: Response }>,
): Promise<Page<T>> {
  return dataOf(call);
}

/** Every page of a short list (a company's sites, its enrolments). */
export async function allOf<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Companies and sites by id, each fetched once while the page is open: a list of visits or
 * trials names the company and the site, which its rows only reference.
 */
export interface Directory {
  company(id: string): Promise<Company>;
  sites(companyId: string): Promise<Site[]>;
  site(companyId: string, siteId: string): Promise<Site | null>;
}

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let found = cache.get(key);
  if (!found) {
    found = load();
    cache.set(key, found);
    // A refusal is not kept: the next row asks again.
    found.catch(() => cache.delete(key));
  }
  return found;
}

function createDirectory(): Directory {
  const companies = new Map<string, Promise<Company>>();
  const sites = new Map<string, Promise<Site[]>>();
  const directory: Directory = {
    company: (id) =>
      once(companies, id, () => dataOf(api.GET('/companies/{id}', { params: { path: { id } } }))),
    sites: (companyId) =>
      once(sites, companyId, () =>
        allOf((cursor) =>
          pageOf(
            api.GET('/companies/{id}/sites', {
              params: {
                path: { id: companyId },
                query: { limit: PICK_LIST_LIMIT, ...(cursor ? { cursor } : {}) },
              },
            }),
          ),
        ),
      ),
    site: async (companyId, siteId) =>
      (await directory.sites(companyId)).find((site) => site.id === siteId) ?? null,
  };
  return directory;
}

/** A directory that lives as long as the page. */
export function useDirectory(): Directory {
  return useMemo(createDirectory, []);
}

/** `YYYY-MM-DD` plus some days, calendar arithmetic only. */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Monday to Sunday of the week holding the date. */
export function weekOf(date: string): { from: string; to: string } {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const monday = addDays(date, -((weekday + 6) % 7));
  return { from: monday, to: addDays(monday, 6) };
}

/** Drops the empty filters, so the query string carries only what the person chose. */
export function chosen<T extends Record<string, string | number | boolean | undefined>>(
  filter: T,
): { [K in keyof T]?: Exclude<T[K], ''> } {
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== '' && value !== undefined),
  ) as { [K in keyof T]?: Exclude<T[K], ''> };
}
