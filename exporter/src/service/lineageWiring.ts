import type { LineageSettings } from '../config/types';
import type { DatasetNames } from '../lineage/datasetNames';
import type { LineageGraph } from '../lineage/lineageGraph';
import { LineageStore } from '../lineage/lineageStore';
import { MarquezForwarder } from '../lineage/marquezForwarder';
import { isScanJob } from '../lineage/qualityEvents';
import type { LineageRepository } from '../state/lineageRepository';
import { LineageTriggers } from './lineageTriggers';

export interface LineageParts {
  store: LineageStore;
  triggers: LineageTriggers;
  /** Present when `lineage.marquez_url` is set. */
  forwarder?: MarquezForwarder;
}

/**
 * The lineage side of the service: the store over the state file's lineage tables, the
 * triggers that scan a dataset when a run that wrote it completes, and, with a Marquez URL, the
 * forwarder that keeps a real Marquez in step. What a committed batch changed fans out here.
 */
export function wireLineage(
  repo: LineageRepository,
  graph: LineageGraph,
  settings: LineageSettings,
  hooks: {
    names: () => DatasetNames;
    /** Configured datasets with checks: the ones a lineage event can trigger a scan of. */
    scannable: (dataset: string) => boolean;
    requestScan: (dataset: string, arrivedAt: Date) => void;
    /** The graph changed: gates may answer differently. */
    graphChanged: () => void;
    log: (message: string) => void;
    onBacklog: (pending: number) => void;
  },
): LineageParts {
  const triggers = new LineageTriggers(settings.triggerDebounceMs, hooks.requestScan);
  const forwarder = settings.marquezUrl
    ? new MarquezForwarder(repo, { url: settings.marquezUrl, ...(settings.marquezApiKey ? { apiKey: settings.marquezApiKey } : {}), log: hooks.log, onBacklog: hooks.onBacklog })
    : undefined;
  const store = new LineageStore(repo, graph, {
    observer: (job) => isScanJob(job, settings.namespace),
    forward: forwarder !== undefined,
    onCommitted: (c) => {
      forwarder?.kick();
      if (c.graphChanged) hooks.graphChanged();
      // A finished run that wrote a configured dataset with checks: scan it now, not at the next schedule.
      for (const [key, at] of c.completedOutputs) for (const d of hooks.names().configuredAt(key)) if (hooks.scannable(d)) triggers.offer(d, at);
    },
  });
  return { store, triggers, ...(forwarder ? { forwarder } : {}) };
}
