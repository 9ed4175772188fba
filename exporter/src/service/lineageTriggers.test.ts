import { LineageTriggers } from './lineageTriggers';

describe('LineageTriggers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a burst of COMPLETE events gives one scan, arriving at the earliest event time', () => {
    const requests: [string, number][] = [];
    const t = new LineageTriggers(1000, (d, at) => requests.push([d, at.getTime()]));
    t.offer('raw', 5_000);
    t.offer('raw', 4_000);
    t.offer('users', 6_000);
    jest.advanceTimersByTime(999);
    expect(requests).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(requests).toEqual([['raw', 4_000], ['users', 6_000]]);
    t.offer('raw', 9_000);
    jest.advanceTimersByTime(1000);
    expect(requests).toHaveLength(3);
  });

  test('stop cancels what is pending', () => {
    const requests: string[] = [];
    const t = new LineageTriggers(1000, (d) => requests.push(d));
    t.offer('raw', 1);
    t.stop();
    jest.advanceTimersByTime(5000);
    expect(requests).toEqual([]);
  });
});
