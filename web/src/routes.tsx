import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { hasPermission, useSession } from './auth/session';
import { AppLayout, PageSpinner } from './layout/app-layout';
import { navItems } from './layout/nav';
import { Forbidden, NotFound } from './pages/status-pages';

const LoginPage = lazy(() => import('./pages/login'));
const InvitePage = lazy(() => import('./pages/invite'));
const ProfilePage = lazy(() => import('./pages/profile'));
const NoWorkspacePage = lazy(() => import('./pages/no-workspace'));
const MembersPage = lazy(() => import('./pages/members'));
const InvitationsPage = lazy(() => import('./pages/invitations'));
const TeamsPage = lazy(() => import('./pages/teams'));
const RolesPage = lazy(() => import('./pages/roles'));
const ApiKeysPage = lazy(() => import('./pages/api-keys'));
const AuditLogPage = lazy(() => import('./pages/audit-log'));
const JobsPage = lazy(() => import('./pages/jobs'));
const WorkspacePage = lazy(() => import('./pages/workspace'));
const ContactsPage = lazy(() => import('./pages/contacts/list'));
const ContactProfilePage = lazy(() => import('./pages/contacts/profile'));
const ImportPage = lazy(() => import('./pages/contacts/import'));
const DuplicatesPage = lazy(() => import('./pages/contacts/duplicates'));
const TasksPage = lazy(() => import('./pages/tasks'));
const CustomFieldsPage = lazy(() => import('./pages/contact-settings/custom-fields'));
const StagesPage = lazy(() => import('./pages/contact-settings/stages'));
const TagsPage = lazy(() => import('./pages/contact-settings/tags'));
const SegmentsPage = lazy(() => import('./pages/segments/list'));
const SegmentDetailPage = lazy(() => import('./pages/segments/detail'));
const SegmentEditorPage = lazy(() => import('./pages/segments/editor'));
const RfmPage = lazy(() => import('./pages/rfm/rfm'));
const TagRulesPage = lazy(() => import('./pages/tag-rules/list'));
const TagRuleEditorPage = lazy(() => import('./pages/tag-rules/editor'));
const LiveCodesPage = lazy(() => import('./pages/live-codes/list'));
const LiveCodeDetailPage = lazy(() => import('./pages/live-codes/detail'));
const GroupCodesPage = lazy(() => import('./pages/group-codes/list'));
const GroupCodeDetailPage = lazy(() => import('./pages/group-codes/detail'));
const InboxPage = lazy(() => import('./pages/inbox/inbox'));
const ChannelsPage = lazy(() => import('./pages/channels/list'));
const DeadLettersPage = lazy(() => import('./pages/inbox-admin/dead-letters'));
const TeamAssignmentPage = lazy(() => import('./pages/inbox-admin/team-assignment'));
const InboxSettingsPage = lazy(() => import('./pages/inbox-settings'));

/** A page behind a permission; a direct link without it gets a 403 page, never a broken one. */
function Guard({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useSession();
  return hasPermission(me, permission) ? children : <Forbidden />;
}

/** "/" goes to the first page this member may see; without a workspace, to creating one. */
function Home() {
  const me = useSession();
  if (!me.member) return <Navigate to="/welcome" replace />;
  const first = navItems.find((item) => hasPermission(me, item.permission));
  return <Navigate to={first?.path ?? '/profile'} replace />;
}

const pages: Record<string, ReactNode> = {
  '/inbox': <InboxPage />,
  '/contacts': <ContactsPage />,
  '/contacts/import': <ImportPage />,
  '/contacts/duplicates': <DuplicatesPage />,
  '/tasks': <TasksPage />,
  '/segments': <SegmentsPage />,
  '/rfm': <RfmPage />,
  '/tag-rules': <TagRulesPage />,
  '/live-codes': <LiveCodesPage />,
  '/group-codes': <GroupCodesPage />,
  '/settings/custom-fields': <CustomFieldsPage />,
  '/settings/stages': <StagesPage />,
  '/settings/tags': <TagsPage />,
  '/settings/members': <MembersPage />,
  '/settings/invitations': <InvitationsPage />,
  '/settings/teams': <TeamsPage />,
  '/settings/roles': <RolesPage />,
  '/settings/channels': <ChannelsPage />,
  '/settings/dead-letters': <DeadLettersPage />,
  '/settings/inbox-teams': <TeamAssignmentPage />,
  '/settings/inbox-automation': <InboxSettingsPage />,
  '/settings/api-keys': <ApiKeysPage />,
  '/settings/audit-log': <AuditLogPage />,
  '/settings/jobs': <JobsPage />,
  '/settings/workspace': <WorkspacePage />,
};

const publicPage = (node: ReactNode) => <Suspense fallback={<PageSpinner />}>{node}</Suspense>;

export const router = createBrowserRouter([
  { path: '/login', element: publicPage(<LoginPage />) },
  { path: '/invite/:token', element: publicPage(<InvitePage />) },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'profile', element: <ProfilePage /> },
      { path: 'welcome', element: <NoWorkspacePage /> },
      ...navItems.map((item) => ({ path: item.path.slice(1), element: <Guard permission={item.permission}>{pages[item.path]}</Guard> })),
      { path: 'inbox/:id', element: <Guard permission="inbox:read"><InboxPage /></Guard> },
      { path: 'contacts/:id', element: <Guard permission="contacts:read"><ContactProfilePage /></Guard> },
      { path: 'segments/new', element: <Guard permission="segments:write"><SegmentEditorPage /></Guard> },
      { path: 'segments/:id', element: <Guard permission="segments:read"><SegmentDetailPage /></Guard> },
      { path: 'segments/:id/edit', element: <Guard permission="segments:write"><SegmentEditorPage /></Guard> },
      { path: 'tag-rules/new', element: <Guard permission="tag-rules:write"><TagRuleEditorPage /></Guard> },
      { path: 'tag-rules/:id', element: <Guard permission="tag-rules:read"><TagRuleEditorPage /></Guard> },
      { path: 'live-codes/:id', element: <Guard permission="live-codes:read"><LiveCodeDetailPage /></Guard> },
      { path: 'group-codes/:id', element: <Guard permission="live-codes:read"><GroupCodeDetailPage /></Guard> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
