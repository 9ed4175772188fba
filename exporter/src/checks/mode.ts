import type { Node } from 'yaml';
import type { CheckMode } from './model';
import type { Outcome } from './outcome';
import { type NodeContext, readString } from './yamlNodes';

/**
 * How a check's outcome counts. `enforce` (the default) opens breakers, pages and sets the scan's
 * exit code; `observe` is evaluated, recorded and exported, but only says what it would have done:
 * the safe way to roll out a new rule (PRD 7.2).
 */
export const CHECK_MODES: readonly CheckMode[] = ['enforce', 'observe'];

/** `mode: observe|enforce` (on a check, or at the top of a checks file); anything else is an error at its position. */
export function readMode(ctx: NodeContext, node: Node | undefined, where: string): CheckMode | undefined {
  const text = readString(ctx, node, where);
  if (text === undefined) return undefined;
  if ((CHECK_MODES as readonly string[]).includes(text)) return text as CheckMode;
  ctx.report.error(ctx.yaml.positionOf(node), `${where} must be \`observe\` (evaluated and recorded, never opens a breaker nor pages) or \`enforce\` (the default); found \`${text}\``);
  return undefined;
}

/** True for the results of observed checks; results carry `mode` only when observed. */
export function isObserved(r: { mode?: CheckMode }): boolean {
  return r.mode === 'observe';
}

/** The results that decide breakers, incidents, pages, pass ratios and exit codes. */
export function enforcedOnly<T extends { mode?: CheckMode }>(results: readonly T[]): T[] {
  return results.filter((r) => !isObserved(r));
}

const WOULD_HAVE: Partial<Record<Outcome, string>> = { warn: 'would have warned', fail: 'would have failed', error: 'would have errored' };

/** `fail (observed: would have failed)`: how outputs show an observed result. */
export function observedLabel(outcome: Outcome): string {
  const text = outcome.replace('_', ' ');
  return `${text} (observed${WOULD_HAVE[outcome] ? `: ${WOULD_HAVE[outcome]}` : ''})`;
}
