import { type ComponentType, lazy } from 'react';
import type { Role } from './session';

/** One page of the console: where it is, who may use it, and its entry in the navigation. */
export interface ConsoleRoute {
  path: string;
  /** The navigation's label key; pages reached from another page (details) have none. */
  navKey?: string;
  section: 'desk' | 'technician' | 'sales' | 'secretariat' | 'groups' | 'admin';
  /** null: anyone signed in (read-only boards). */
  roles: Role[] | null;
  page: ComponentType;
}

/** Pages load when first opened, so the first screen ships only the shell's JavaScript. */
function page<M>(load: () => Promise<M>, name: keyof M): ComponentType {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const DESK: Role[] = ['admin', 'support'];
const TECHNICIAN: Role[] = ['admin', 'technician'];
const SALES: Role[] = ['admin', 'sales'];
const SECRETARIAT: Role[] = ['admin', 'secretariat'];
/** The group programme: the admin, and a coordinator for its own groups (the API keeps to them). */
const GROUPS: Role[] = ['admin', 'coordinator'];
const ADMIN: Role[] = ['admin'];

export const ROUTES: ConsoleRoute[] = [
  {
    path: '/desk/fleet',
    navKey: 'nav.fleet',
    section: 'desk',
    roles: null,
    page: page(() => import('./pages/desk/FleetPage'), 'FleetPage'),
  },
  {
    path: '/desk/alerts',
    navKey: 'nav.alerts',
    section: 'desk',
    roles: DESK,
    page: page(() => import('./pages/desk/AlertsPage'), 'AlertsPage'),
  },
  {
    path: '/desk/appliances',
    navKey: 'nav.appliances',
    section: 'desk',
    roles: null,
    page: page(() => import('./pages/desk/AppliancesPage'), 'AppliancesPage'),
  },
  {
    path: '/desk/appliances/:id',
    section: 'desk',
    roles: null,
    page: page(() => import('./pages/desk/AppliancePage'), 'AppliancePage'),
  },
  {
    path: '/desk/incidents',
    navKey: 'nav.incidents',
    section: 'desk',
    roles: DESK,
    page: page(() => import('./pages/desk/IncidentsPage'), 'IncidentsPage'),
  },
  {
    path: '/desk/incidents/:id',
    section: 'desk',
    roles: DESK,
    page: page(() => import('./pages/desk/IncidentPage'), 'IncidentPage'),
  },
  {
    path: '/desk/detections',
    navKey: 'nav.detections',
    section: 'desk',
    roles: DESK,
    page: page(() => import('./pages/desk/DetectionCountsPage'), 'DetectionCountsPage'),
  },
  {
    path: '/desk/programme',
    navKey: 'nav.programme',
    section: 'desk',
    roles: null,
    page: page(() => import('./pages/desk/ProgrammePage'), 'ProgrammePage'),
  },
  {
    path: '/desk/audit',
    navKey: 'nav.audit',
    section: 'desk',
    roles: DESK,
    page: page(() => import('./pages/desk/AuditPage'), 'AuditPage'),
  },
  {
    path: '/technician/visits',
    navKey: 'nav.technician.visits',
    section: 'technician',
    roles: TECHNICIAN,
    page: page(() => import('./pages/technician/VisitsPage'), 'VisitsPage'),
  },
  {
    path: '/technician/stock',
    navKey: 'nav.technician.stock',
    section: 'technician',
    roles: TECHNICIAN,
    page: page(() => import('./pages/technician/StockPage'), 'StockPage'),
  },
  {
    path: '/technician/install',
    navKey: 'nav.technician.install',
    section: 'technician',
    roles: TECHNICIAN,
    page: page(() => import('./pages/technician/InstallPage'), 'InstallPage'),
  },
  {
    path: '/technician/edr',
    navKey: 'nav.technician.edr',
    section: 'technician',
    roles: TECHNICIAN,
    page: page(() => import('./pages/technician/EdrPage'), 'EdrPage'),
  },
  {
    path: '/technician/removals',
    navKey: 'nav.technician.removals',
    section: 'technician',
    roles: TECHNICIAN,
    page: page(() => import('./pages/technician/RemovalPage'), 'RemovalPage'),
  },
  {
    path: '/sales/trials',
    navKey: 'nav.sales.trials',
    section: 'sales',
    roles: SALES,
    page: page(() => import('./pages/sales/TrialsPage'), 'TrialsPage'),
  },
  {
    path: '/secretariat/applications',
    navKey: 'nav.secretariat.applications',
    section: 'secretariat',
    roles: SECRETARIAT,
    page: page(() => import('./pages/secretariat/ApplicationsPage'), 'ApplicationsPage'),
  },
  {
    path: '/secretariat/applications/:id',
    section: 'secretariat',
    roles: SECRETARIAT,
    page: page(() => import('./pages/secretariat/ApplicationPage'), 'ApplicationPage'),
  },
  {
    path: '/secretariat/follow-up',
    navKey: 'nav.secretariat.followUp',
    section: 'secretariat',
    roles: SECRETARIAT,
    page: page(() => import('./pages/secretariat/FollowUpPage'), 'FollowUpPage'),
  },
  {
    path: '/groups',
    navKey: 'nav.groups',
    section: 'groups',
    roles: GROUPS,
    page: page(() => import('./pages/groups/GroupsPage'), 'GroupsPage'),
  },
  {
    path: '/groups/:id',
    section: 'groups',
    roles: GROUPS,
    page: page(() => import('./pages/groups/GroupPage'), 'GroupPage'),
  },
  {
    path: '/admin/users',
    navKey: 'nav.admin.users',
    section: 'admin',
    roles: ADMIN,
    page: page(() => import('./pages/admin/UsersPage'), 'UsersPage'),
  },
  {
    path: '/admin/tokens',
    navKey: 'nav.admin.tokens',
    section: 'admin',
    roles: ADMIN,
    page: page(() => import('./pages/admin/TokensPage'), 'TokensPage'),
  },
  {
    path: '/admin/programmes',
    navKey: 'nav.admin.programmes',
    section: 'admin',
    roles: ADMIN,
    page: page(() => import('./pages/admin/ProgrammesPage'), 'ProgrammesPage'),
  },
  {
    path: '/admin/webhooks',
    navKey: 'nav.admin.webhooks',
    section: 'admin',
    roles: ADMIN,
    page: page(() => import('./pages/admin/WebhooksPage'), 'WebhooksPage'),
  },
];

/**
 * Pages anyone may open without signing in (the programme's public web form): the shell shows
 * them on their own, without the navigation and without waiting for a session.
 */
export interface PublicRoute {
  path: string;
  page: ComponentType;
}

export const PUBLIC_ROUTES: PublicRoute[] = [
  { path: '/apply', page: page(() => import('./pages/public/ApplyPage'), 'ApplyPage') },
  {
    path: '/questionnaire/:token',
    page: page(() => import('./pages/public/QuestionnairePage'), 'QuestionnairePage'),
  },
];

/** Whether a person with these roles may open the page (any of their roles suffices). */
export function mayOpen(route: ConsoleRoute, hasRole: (...roles: Role[]) => boolean): boolean {
  return route.roles == null || hasRole(...route.roles);
}
