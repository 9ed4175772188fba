// Grafana writes window.grafanaBootData into its index page before any plugin code runs;
// @grafana/runtime reads it at import time, so this module is imported first.
Object.assign(window, {
  grafanaBootData: { assets: { dark: '', light: '' }, settings: {}, user: {}, navTree: [] },
});
export {};
