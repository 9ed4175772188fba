import { Direction, Point } from './layeredLayout';

/**
 * Spreads the layers of a layered drawing apart along the flow until it has the panel's aspect
 * ratio. A warehouse lineage is a few layers of hundreds of datasets: drawn plainly it is a tall
 * sliver in a wide wall-screen panel. Only ever stretches (never packs layers closer), and at
 * most by `maxFactor`, so a graph that is already wide keeps its spacing.
 */
export function stretchToAspect(
  positions: Map<string, Point>,
  direction: Direction,
  panelAspect: number,
  maxFactor = 8
): Map<string, Point> {
  if (positions.size < 2 || !Number.isFinite(panelAspect) || panelAspect <= 0) {
    return positions;
  }
  const horizontal = direction === 'LR' || direction === 'RL';
  let minMain = Infinity;
  let maxMain = -Infinity;
  let minCross = Infinity;
  let maxCross = -Infinity;
  for (const p of positions.values()) {
    const main = horizontal ? p.x : p.y;
    const cross = horizontal ? p.y : p.x;
    minMain = Math.min(minMain, main);
    maxMain = Math.max(maxMain, main);
    minCross = Math.min(minCross, cross);
    maxCross = Math.max(maxCross, cross);
  }
  const mainExtent = maxMain - minMain;
  const crossExtent = maxCross - minCross;
  if (mainExtent <= 0) {
    return positions;
  }
  // LR/RL: width (flow) over height (cross) should match the panel; TB/BT the other way round
  const wantedMain = horizontal ? crossExtent * panelAspect : crossExtent / panelAspect;
  const factor = Math.min(maxFactor, Math.max(1, wantedMain / mainExtent));
  if (factor === 1) {
    return positions;
  }
  const stretched = new Map<string, Point>();
  for (const [id, p] of positions) {
    stretched.set(
      id,
      horizontal ? { x: minMain + (p.x - minMain) * factor, y: p.y } : { x: p.x, y: minMain + (p.y - minMain) * factor }
    );
  }
  return stretched;
}
