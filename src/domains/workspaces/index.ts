export { createWorkspace, updateWorkspace, countWorkspaces } from './workspaces.js';
export { workspaceRoutes } from './routes.js';
export { createAdmin, findWorkspaceByRef, operatorActor } from './admin.js';
