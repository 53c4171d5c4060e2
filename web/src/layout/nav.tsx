import {
  ApartmentOutlined,
  AuditOutlined,
  KeyOutlined,
  MailOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  path: string;
  labelKey: string;
  icon: ReactNode;
  permission: string;
}

/** Every console page behind a permission. The menu, the routes and the home redirect read this list. */
export const navItems: NavItem[] = [
  { path: '/settings/members', labelKey: 'nav.members', icon: <TeamOutlined />, permission: 'members:read' },
  { path: '/settings/invitations', labelKey: 'nav.invitations', icon: <MailOutlined />, permission: 'members:read' },
  { path: '/settings/teams', labelKey: 'nav.teams', icon: <ApartmentOutlined />, permission: 'teams:read' },
  { path: '/settings/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined />, permission: 'roles:read' },
  { path: '/settings/api-keys', labelKey: 'nav.apiKeys', icon: <KeyOutlined />, permission: 'api-keys:read' },
  { path: '/settings/audit-log', labelKey: 'nav.auditLog', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/settings/jobs', labelKey: 'nav.jobs', icon: <ScheduleOutlined />, permission: 'jobs:read' },
  { path: '/settings/workspace', labelKey: 'nav.workspace', icon: <SettingOutlined />, permission: 'workspace:manage' },
];
