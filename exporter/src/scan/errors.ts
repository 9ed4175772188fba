/**
 * A database error as one readable sentence: engines append caret diagrams and candidate
 * lists that help in a terminal but drown a Slack message or a JSON report.
 */
export function errorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const firstBlock = raw.split(/\n\s*\n|\nLINE \d+:/)[0]!.replace(/\s+/g, ' ').trim();
  return firstBlock.length > 500 ? firstBlock.slice(0, 497) + '…' : firstBlock;
}

/** The scan was cancelled (service shutting down) before a query started. */
export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled (service shutting down)');
    this.name = 'ScanCancelled';
  }
}
