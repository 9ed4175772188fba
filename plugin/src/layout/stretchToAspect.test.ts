import { stretchToAspect } from './stretchToAspect';

const tall = new Map([
  ['a', { x: 0, y: 0 }],
  ['b', { x: 100, y: 0 }],
  ['c', { x: 100, y: 1000 }],
]);

describe('stretchToAspect', () => {
  it('spreads the layers of a tall left-to-right drawing to the panel aspect', () => {
    const p = stretchToAspect(tall, 'LR', 2);
    expect(p.get('b')).toEqual({ x: 800, y: 0 }); // capped at 8× (2,000 wanted)
    expect(stretchToAspect(tall, 'LR', 0.5).get('c')).toEqual({ x: 500, y: 1000 });
  });

  it('stretches along y for top-to-bottom drawings', () => {
    const wide = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 1000, y: 100 }],
    ]);
    expect(stretchToAspect(wide, 'TB', 2).get('b')).toEqual({ x: 1000, y: 500 });
  });

  it('never packs a drawing that is already wide enough', () => {
    const wide = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 1000, y: 10 }],
    ]);
    expect(stretchToAspect(wide, 'LR', 2)).toBe(wide);
  });
});
