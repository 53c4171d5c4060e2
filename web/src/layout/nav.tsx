import {
  ApartmentOutlined,
  ApiOutlined,
  CommentOutlined,
  NodeIndexOutlined,
  WarningOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  FlagOutlined,
  FormOutlined,
  ImportOutlined,
  RobotOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  QrcodeOutlined,
  TagsOutlined,
  AuditOutlined,
  ClusterOutlined,
  DotChartOutlined,
  KeyOutlined,
  MailOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { InboxUnreadBadge } from '../pages/inbox/background';

export interface NavItem {
  path: string;
  labelKey: string;
  icon: ReactNode;
  permission: string;
  /** Which menu group it sits in; settings by default. */
  group?: 'customers' | 'settings';
  /** Shown after the label (e.g. an unread badge). */
  extra?: ReactNode;
}

/** Every console page behind a permission. The menu, the routes and the home redirect read this list. */
export const navItems: NavItem[] = [
  { path: '/inbox', labelKey: 'nav.inbox', icon: <MessageOutlined />, permission: 'inbox:read', group: 'customers', extra: <InboxUnreadBadge /> },
  { path: '/contacts', labelKey: 'nav.contacts', icon: <ContactsOutlined />, permission: 'contacts:read', group: 'customers' },
  { path: '/contacts/import', labelKey: 'nav.import', icon: <ImportOutlined />, permission: 'contacts:import', group: 'customers' },
  { path: '/contacts/duplicates', labelKey: 'nav.duplicates', icon: <MergeCellsOutlined />, permission: 'contacts:merge', group: 'customers' },
  { path: '/tasks', labelKey: 'nav.tasks', icon: <CheckSquareOutlined />, permission: 'contacts:read', group: 'customers' },
  { path: '/segments', labelKey: 'nav.segments', icon: <ClusterOutlined />, permission: 'segments:read', group: 'customers' },
  { path: '/rfm', labelKey: 'nav.rfm', icon: <DotChartOutlined />, permission: 'rfm:read', group: 'customers' },
  { path: '/tag-rules', labelKey: 'nav.tagRules', icon: <RobotOutlined />, permission: 'tag-rules:read', group: 'customers' },
  { path: '/live-codes', labelKey: 'liveCodes.nav', icon: <QrcodeOutlined />, permission: 'live-codes:read', group: 'customers' },
  { path: '/group-codes', labelKey: 'groupCodes.nav', icon: <UsergroupAddOutlined />, permission: 'live-codes:read', group: 'customers' },
  { path: '/settings/custom-fields', labelKey: 'nav.customFields', icon: <FormOutlined />, permission: 'contact-settings:write' },
  { path: '/settings/stages', labelKey: 'nav.stages', icon: <FlagOutlined />, permission: 'contact-settings:write' },
  { path: '/settings/tags', labelKey: 'nav.tags', icon: <TagsOutlined />, permission: 'contact-settings:write' },
  { path: '/settings/members', labelKey: 'nav.members', icon: <TeamOutlined />, permission: 'members:read' },
  { path: '/settings/invitations', labelKey: 'nav.invitations', icon: <MailOutlined />, permission: 'members:read' },
  { path: '/settings/teams', labelKey: 'nav.teams', icon: <ApartmentOutlined />, permission: 'teams:read' },
  { path: '/settings/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined />, permission: 'roles:read' },
  { path: '/settings/channels', labelKey: 'channelAdmin.nav.channels', icon: <ApiOutlined />, permission: 'channels:manage' },
  { path: '/settings/dead-letters', labelKey: 'channelAdmin.nav.deadLetters', icon: <WarningOutlined />, permission: 'channels:manage' },
  { path: '/settings/inbox-automation', labelKey: 'autoreplies.nav', icon: <CommentOutlined />, permission: 'inbox:read' },
  { path: '/settings/inbox-teams', labelKey: 'channelAdmin.nav.teamAssignment', icon: <NodeIndexOutlined />, permission: 'inbox:manage' },
  { path: '/settings/api-keys', labelKey: 'nav.apiKeys', icon: <KeyOutlined />, permission: 'api-keys:read' },
  { path: '/settings/audit-log', labelKey: 'nav.auditLog', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/settings/jobs', labelKey: 'nav.jobs', icon: <ScheduleOutlined />, permission: 'jobs:read' },
  { path: '/settings/workspace', labelKey: 'nav.workspace', icon: <SettingOutlined />, permission: 'workspace:manage' },
];
