/**
 * The `@datatrust/exporter` package entry point: what pipelines import to report lineage and
 * honour the job gate. The exporter service and the CLI are run through the `datatrust` binary.
 */
export { withLineage, registerJob, type WithLineageOptions, type RegisterJobOptions, type LineageRun, type LineageLogger, type LineageConnection, type JobGateOptions } from './pipeline/withLineage';
export { JobGateError, JobBlockedError, JobGateUnavailableError, type OnGateUnreachable } from './pipeline/jobGateCheck';
export type { JobBlocker, JobGateView, JobGateInput } from './cli/jobGate';
export type { OutputStatistics } from './pipeline/lineageEvents';
export { LineageOptionsError, type DatasetRef, type JobRef } from './pipeline/refs';
export type { DatasetIdentity, JobIdentity, Facets } from './openlineage/types';
