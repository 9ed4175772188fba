import { chooseReader, type HttpfsAvailability } from './readerChoice';

const unavailable: HttpfsAvailability = { state: 'unavailable', why: 'download failed' };

describe('chooseReader', () => {
  it('auto uses httpfs when installed or installable, else the SDK', () => {
    expect(chooseReader('auto', () => ({ state: 'installed' }))).toEqual({ reader: 'httpfs' });
    expect(chooseReader('auto', () => ({ state: 'installable' }))).toEqual({ reader: 'httpfs' });
    expect(chooseReader('auto', () => unavailable)).toEqual({ reader: 'sdk' });
  });

  it('httpfs without the extension is an error naming the way out', () => {
    expect(chooseReader('httpfs', () => ({ state: 'installed' }))).toEqual({ reader: 'httpfs' });
    expect(chooseReader('httpfs', () => unavailable)).toEqual({ error: expect.stringMatching(/httpfs extension.*download failed.*mode: sdk/) });
  });

  it('sdk never looks for httpfs', () => {
    expect(chooseReader('sdk', () => { throw new Error('probed'); })).toEqual({ reader: 'sdk' });
  });
});
