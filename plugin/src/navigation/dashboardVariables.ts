import { getTemplateSrv, locationService } from '@grafana/runtime';

/**
 * True when the dashboard has a variable of that name. The panel only offers re-centring and the
 * direction toggles where they would do something: outside a dashboard with those variables (the
 * quality dashboard's Prometheus-only lineage) a click just highlights.
 */
export function dashboardHasVariable(name: string): boolean {
  const wanted = name.trim();
  if (wanted === '') {
    return false;
  }
  try {
    return getTemplateSrv().getVariables().some((v) => v.name === wanted);
  } catch {
    // no template service: not inside a dashboard
    return false;
  }
}

/**
 * Sets a dashboard variable the documented way for panels: through the URL (`var-<name>`), which
 * Grafana syncs into the variable and re-runs the queries that use it. A history entry is pushed,
 * so the browser's Back button returns to the previous focus.
 */
export function setDashboardVariable(name: string, value: string): void {
  locationService.partial({ [`var-${name.trim()}`]: value });
}
