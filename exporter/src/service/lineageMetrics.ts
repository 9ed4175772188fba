import type { LineageMetricsSource } from '../metrics/exporterMetrics';
import { EVENT_TYPE_LABEL } from '../lineage/lineageStore';
import { splitKey } from '../lineage/model';
import { datasetEdges, lineageCoverage } from './lineageCoverage';
import type { DataTrustService } from './dataTrustService';

/** What the lineage metrics read from the running service, at scrape time. */
export function lineageMetricsSource(service: () => DataTrustService): LineageMetricsSource {
  return {
    epoch: () => service().graph.epoch,
    edges: () => datasetEdges(service().graph, service().datasetNames),
    coverage: () => {
      const { snapshot: s, lineage, datasetNames } = service();
      const jobs = [...lineage.graphJobs()].map((j) => ({ outputs: j.current?.outputs ?? [] }));
      return lineageCoverage(jobs, datasetNames, s.datasets, (k) => lineage.model.datasets.has(k), (d) => (s.checkCounts.get(d) ?? 0) > 0);
    },
    lineageOnlyDatasets: () => {
      const { lineage, datasetNames, gates } = service();
      const blocked = gates.index().datasets;
      return [...lineage.model.datasets.keys()].filter((k) => !datasetNames.isConfiguredKey(k)).map((k) => ({ dataset: datasetNames.nameOf(k), blocked: blocked.has(k) }));
    },
    identities: () => {
      const { snapshot, datasetNames } = service();
      return snapshot.datasets.flatMap((dataset) => {
        const key = datasetNames.keyOf(dataset);
        return key ? [{ dataset, ...splitKey(key) }] : [];
      });
    },
    jobs: () => {
      const { lineage, gates } = service();
      const blocked = gates.index().jobs;
      return [...lineage.graphJobs()].map((j) => ({ namespace: j.namespace, name: j.name, blocked: blocked.has(j.key) }));
    },
    eventTypes: Object.values(EVENT_TYPE_LABEL),
    eventCounts: () => service().lineage.eventCounts(),
    forwardPending: () => service().forwardBacklog,
  };
}
