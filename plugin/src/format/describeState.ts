import { DatasetNode } from '../graph/model';

/** One sentence on why the dataset has its colour. */
export function describeState(node: DatasetNode): string {
  switch (node.state) {
    case 'failed':
      return node.signals.breakerOpen ? 'Breaker open: own checks failing' : 'Own checks failing';
    case 'blocked':
      return 'Blocked: an upstream breaker is open';
    case 'warn':
      return 'Warnings: some checks degraded';
    case 'ok':
      return 'All checks pass';
    case 'unknown':
      return 'No checks: coverage gap';
  }
}

const OWN_CHECKS: Record<DatasetNode['ownState'], string> = {
  ok: 'all pass',
  warn: 'some degraded',
  failed: 'failing',
  unknown: 'none (coverage gap)',
};

/** For a blocked dataset: how its own checks look, which the blocked colour hides. */
export function describeOwnChecks(node: DatasetNode): string {
  return `Own checks: ${OWN_CHECKS[node.ownState]}`;
}
