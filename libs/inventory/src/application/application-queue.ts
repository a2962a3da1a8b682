import { type EntityManager, In } from 'typeorm';
import { InvalidCursorError, type Page, type PageRequest } from '@app/persistence';
import type { BusinessDate } from '../calendar/business-date';
import { EnrollmentEntity, type EnrollmentStatus } from '../enrollment/enrollment.entity';
import { COURSES, type Course } from '../program/course';
import { callbackOverdue, expertCallOverdue, type NextStep, nextStep } from './application-steps';
import { ApplicationEntity, type ApplicationState } from './application.entity';

export interface ApplicationQueueFilter {
  state?: ApplicationState;
  /** true: either promised call is late; false: neither is. */
  overdue?: boolean;
  programCode?: string;
  /** Part of the company's name, matched literally and without case. */
  companyName?: string;
}

/** A course of the application: its enrolment's status, or `full` when no place was held. */
export interface QueueCourse {
  course: Course;
  status: EnrollmentStatus | 'full';
}

/** One line of the secretariat's queue: no contact details. */
export interface ApplicationQueueItem {
  id: string;
  receiptNumber: number;
  receivedAt: Date;
  company: { id: string; name: string };
  courses: QueueCourse[];
  state: ApplicationState;
  callbackDueOn: BusinessDate;
  callbackOverdue: boolean;
  expertName: string | null;
  expertCallDueOn: BusinessDate | null;
  expertCallOverdue: boolean;
  diagnosisOn: BusinessDate | null;
  nextStep: NextStep;
}

/** `callbackOverdue || expertCallOverdue` in SQL, against the parameter `today`. */
const LATE = `(application.state IN ('received', 'complete') AND (
  (application.firstContactedAt IS NULL AND application.callbackDueOn < :today)
  OR (application.expertContactedAt IS NULL AND application.expertCallDueOn IS NOT NULL
      AND application.expertCallDueOn < :today)))`;

/**
 * The queue in the order of receipt, a page at a time, keyed on the receipt number. The overdue
 * filter is `callbackOverdue` and `expertCallOverdue` (application-steps.ts) written in SQL; the
 * queue e2e checks the two agree.
 */
export async function readQueue(
  manager: EntityManager,
  filter: ApplicationQueueFilter,
  page: PageRequest,
  today: BusinessDate,
): Promise<Page<ApplicationQueueItem>> {
  const query = manager
    .getRepository(ApplicationEntity)
    .createQueryBuilder('application')
    .innerJoin('application.company', 'company')
    .addSelect(['company.id', 'company.name']);
  if (filter.state) query.andWhere('application.state = :state', { state: filter.state });
  if (filter.programCode) {
    query
      .innerJoin('application.program', 'program')
      .andWhere('program.code = :programCode', { programCode: filter.programCode });
  }
  if (filter.companyName) {
    query.andWhere(`company.name ILIKE :name ESCAPE '\\'`, {
      name: `%${filter.companyName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    });
  }
  if (filter.overdue !== undefined) {
    // Every term of LATE is NOT NULL, so NOT is its exact complement.
    query.andWhere(filter.overdue ? LATE : `NOT ${LATE}`, { today });
  }
  if (page.cursor) {
    query.andWhere('application.receiptNumber > :after', {
      after: decodeReceiptCursor(page.cursor),
    });
  }
  const rows = await query
    .orderBy('application.receiptNumber', 'ASC')
    .limit(page.limit + 1)
    .getMany();
  const hasMore = rows.length > page.limit;
  const applications = hasMore ? rows.slice(0, page.limit) : rows;
  const enrollments = await enrollmentsOf(
    manager,
    applications.map((application) => application.id),
  );
  const last = applications[applications.length - 1];
  return {
    items: applications.map((application) =>
      toQueueItem(application, enrollments.get(application.id) ?? [], today),
    ),
    nextCursor: hasMore && last ? encodeReceiptCursor(last.receiptNumber) : null,
  };
}

/** The enrolments of the applications, by application, oldest first. */
export async function enrollmentsOf(
  manager: EntityManager,
  applicationIds: string[],
): Promise<Map<string, EnrollmentEntity[]>> {
  const byApplication = new Map<string, EnrollmentEntity[]>();
  if (applicationIds.length === 0) return byApplication;
  const enrollments = await manager.find(EnrollmentEntity, {
    where: { applicationId: In(applicationIds) },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  for (const enrollment of enrollments) {
    const list = byApplication.get(enrollment.applicationId!) ?? [];
    list.push(enrollment);
    byApplication.set(enrollment.applicationId!, list);
  }
  return byApplication;
}

/** The queue's view of an application whose company (id and name) is loaded. */
export function toQueueItem(
  application: ApplicationEntity,
  enrollments: readonly EnrollmentEntity[],
  today: BusinessDate,
): ApplicationQueueItem {
  return {
    id: application.id,
    receiptNumber: Number(application.receiptNumber),
    receivedAt: application.receivedAt,
    company: { id: application.companyId, name: application.company?.name ?? '' },
    courses: queueCourses(application, enrollments),
    state: application.state,
    callbackDueOn: application.callbackDueOn,
    callbackOverdue: callbackOverdue(application, today),
    expertName: application.expertName,
    expertCallDueOn: application.expertCallDueOn,
    expertCallOverdue: expertCallOverdue(application, today),
    diagnosisOn: application.diagnosisOn,
    nextStep: nextStep({
      ...application,
      requestedCourses: application.submitted.courses,
    }),
  };
}

/**
 * Every course asked for or decided, in the programme's course order: the newest enrolment's
 * status (a place held, ruled out, …), or `full` when the form found no place and none was taken.
 */
function queueCourses(
  application: ApplicationEntity,
  enrollments: readonly EnrollmentEntity[],
): QueueCourse[] {
  const courses = new Set<Course>([
    ...application.submitted.courses,
    ...(application.decidedCourses ?? []),
    ...enrollments.map((enrollment) => enrollment.course),
  ]);
  return COURSES.filter((course) => courses.has(course)).map((course) => {
    const newest = enrollments.filter((enrollment) => enrollment.course === course).at(-1);
    return { course, status: newest?.status ?? 'full' };
  });
}

function encodeReceiptCursor(receiptNumber: string): string {
  return Buffer.from(`r${receiptNumber}`).toString('base64url');
}

function decodeReceiptCursor(cursor: string): string {
  const match = /^r(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new InvalidCursorError();
  return match[1];
}
