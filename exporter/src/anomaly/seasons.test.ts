import { mulberry32 } from '../testing/seededRandom';
import { seasonKey, seasonLabel, seasonalStrength, seasonPossible } from './seasons';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('seasons', () => {
  it('keys points by UTC hour and weekday, as Date does, before 1970 too', () => {
    const rand = mulberry32(3);
    for (let k = 0; k < 500; k++) {
      const at = Math.floor((rand() - 0.3) * 4e12);
      const d = new Date(at);
      expect(seasonKey(at, 'hour_of_day')).toBe(d.getUTCHours());
      expect(seasonKey(at, 'day_of_week')).toBe(d.getUTCDay());
    }
  });

  it('labels hours as HH:00 and weekdays by name', () => {
    expect(seasonLabel(7, 'hour_of_day')).toBe('07:00');
    expect(seasonLabel(1, 'day_of_week')).toBe('Monday');
  });

  it('needs enough cycles and dense enough points for a season', () => {
    expect(seasonPossible('hour_of_day', 3 * DAY, HOUR)).toBe(true);
    expect(seasonPossible('hour_of_day', 2 * DAY, HOUR)).toBe(false);
    expect(seasonPossible('hour_of_day', 30 * DAY, DAY)).toBe(false);
    expect(seasonPossible('day_of_week', 21 * DAY, DAY)).toBe(true);
  });

  it('finds a strong daily cycle and none in noise', () => {
    const rand = mulberry32(9);
    const ats = Array.from({ length: 24 * 10 }, (_, i) => i * HOUR);
    const cycle = ats.map((at) => Math.sin((2 * Math.PI * at) / DAY) * 10 + rand());
    const noise = ats.map(() => rand());
    expect(seasonalStrength(ats, cycle, 'hour_of_day')).toBeGreaterThan(0.9);
    expect(seasonalStrength(ats, noise, 'hour_of_day')).toBeLessThan(0.2);
  });
});
