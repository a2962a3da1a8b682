import { type ReactNode, useEffect, useState } from 'react';
import { api, problemOf } from '../../api/client';
import { SelectField, TextField } from '../../components/Field';
import { formatDate } from '../../format';
import { useT } from '../../i18n';
import {
  allOf,
  chosen,
  type CompanyListItem,
  type Enrollment,
  pageOf,
  PICK_LIST_LIMIT,
} from './records';

/**
 * The companies whose name contains `search`, for a form's company pick list: the API searches, so
 * the list stays short however many there are. By default only eligible ones, and every one while
 * the search is empty; `anyCompany` lists ineligible ones too and nothing until something is typed.
 */
export function useCompanyPicks(
  search: string,
  { anyCompany = false, limit = PICK_LIST_LIMIT }: { anyCompany?: boolean; limit?: number } = {},
): { companies: CompanyListItem[]; error: string | null } {
  const [companies, setCompanies] = useState<CompanyListItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const q = search.trim();
    if (anyCompany && !q) {
      setCompanies([]);
      return;
    }
    let live = true;
    pageOf(
      api.GET('/companies', {
        params: { query: { ...(anyCompany ? {} : { eligible: true }), limit, ...chosen({ q }) } },
      }),
    )
      .then((page) => {
        if (!live) return;
        setCompanies(page.items);
        setError(null);
      })
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [search, anyCompany, limit]);
  return { companies, error };
}

/** A form's company and its open enrolment in one course, picked in that order. */
export interface EnrolmentPick {
  companySearch: string;
  setCompanySearch: (search: string) => void;
  companies: CompanyListItem[];
  companyId: string;
  setCompanyId: (id: string) => void;
  /** The company's enrolments in the course, the withdrawn left out. */
  enrollments: Enrollment[];
  enrollmentId: string;
  setEnrollmentId: (id: string) => void;
}

/**
 * The company → enrolment pick of the install and EDR forms: a new company reloads its
 * enrolments and chooses the only one; a problem goes to `report`, the form's outcome.
 */
export function useEnrolmentPick(
  course: Enrollment['course'],
  report: (problem: string) => void,
): EnrolmentPick {
  const [companySearch, setCompanySearch] = useState('');
  const picks = useCompanyPicks(companySearch);
  const [companyId, setCompanyId] = useState('');
  const [enrollments, setEnrollments] = useState<Enrollment[]>([]);
  const [enrollmentId, setEnrollmentId] = useState('');

  useEffect(() => {
    if (picks.error) report(picks.error);
  }, [picks.error]);

  useEffect(() => {
    // A narrower search that leaves the chosen company out unchooses it.
    if (companyId && !picks.companies.some((company) => company.id === companyId)) {
      setCompanyId('');
    }
  }, [picks.companies, companyId]);

  useEffect(() => {
    setEnrollments([]);
    setEnrollmentId('');
    if (!companyId) return;
    let live = true;
    allOf((cursor) =>
      pageOf(
        api.GET('/enrollments', {
          params: {
            query: {
              companyId,
              course,
              limit: PICK_LIST_LIMIT,
              ...chosen({ cursor: cursor ?? '' }),
            },
          },
        }),
      ),
    )
      .then((found) => {
        if (!live) return;
        const open = found.filter((enrollment) => enrollment.status !== 'withdrawn');
        setEnrollments(open);
        setEnrollmentId(open.length === 1 ? open[0].id : '');
      })
      .catch((problem: unknown) => live && report(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [companyId, course]);

  return {
    companySearch,
    setCompanySearch,
    companies: picks.companies,
    companyId,
    setCompanyId,
    enrollments,
    enrollmentId,
    setEnrollmentId,
  };
}

/** The search, company and enrolment fields of an `EnrolmentPick`, in the form's own words. */
export function EnrolmentPickFields({
  pick,
  companyLabel,
  enrollmentLabel,
  noEnrollment,
  required,
}: {
  pick: EnrolmentPick;
  companyLabel: string;
  enrollmentLabel: string;
  /** The hint when the chosen company has no open enrolment in the course. */
  noEnrollment: string;
  required?: boolean;
}): ReactNode {
  const t = useT();
  return (
    <>
      <TextField
        label={t('technician.companySearch')}
        type="search"
        value={pick.companySearch}
        maxLength={100}
        onChange={(event) => pick.setCompanySearch(event.target.value)}
      />
      <SelectField
        label={companyLabel}
        value={pick.companyId}
        required={required}
        onChange={(event) => pick.setCompanyId(event.target.value)}
        placeholder={t('technician.choose')}
        options={pick.companies.map((company) => ({
          value: company.id,
          label: company.name,
        }))}
      />
      <SelectField
        label={enrollmentLabel}
        value={pick.enrollmentId}
        required={required}
        disabled={!pick.companyId}
        hint={pick.companyId && pick.enrollments.length === 0 ? noEnrollment : undefined}
        onChange={(event) => pick.setEnrollmentId(event.target.value)}
        placeholder={t('technician.choose')}
        options={pick.enrollments.map((enrollment) => ({
          value: enrollment.id,
          label: t('technician.install.enrollmentLabel', {
            appliedOn: formatDate(enrollment.appliedOn),
            status: t(`technician.enrollmentStatus.${enrollment.status}`),
          }),
        }))}
      />
    </>
  );
}
