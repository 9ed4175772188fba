import { DatasetSignals, emptySignals } from '../graph/model';

/** Per-dataset signals collected across all frames; readers merge into the entry for a dataset. */
export function newSignalsStore(): { store: Map<string, DatasetSignals>; signalsOf: (id: string) => DatasetSignals } {
  const store = new Map<string, DatasetSignals>();
  return {
    store,
    signalsOf: (id: string) => {
      let signals = store.get(id);
      if (!signals) {
        signals = emptySignals();
        store.set(id, signals);
      }
      return signals;
    },
  };
}
