// The live-chat widget's public surface: the visitors' endpoints and socket (/widget/v1), the
// script (/widget.js), and the snippet for the console (/api/v1/channels/{id}/widget-snippet).
export { widgetRoutes } from './routes.js';
export { widgetScriptRoute, widgetSnippetRoutes } from './script.js';
