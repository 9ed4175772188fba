/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": freshness and "since" in units people read at a glance. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days} d ${restHours} h` : `${days} d`;
}

/** 0.9734 → "97.3 %"; never rounds a failing ratio up to "100 %". */
export function formatRatio(ratio: number): string {
  if (ratio >= 1) {
    return '100 %';
  }
  const oneDecimal = Math.floor(ratio * 1000 + 1e-9) / 10;
  return oneDecimal >= 99.9 ? `${(Math.floor(ratio * 10000 + 1e-9) / 100).toFixed(2)} %` : `${oneDecimal.toFixed(1)} %`;
}
