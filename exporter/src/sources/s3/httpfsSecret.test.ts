import type { S3SourceConfig } from '../../config/types';
import { httpfsSecretSql } from './httpfsSecret';

const base: S3SourceConfig = { name: 'lake', type: 's3', pathStyle: true, mode: 'httpfs', cache: { maxSizeBytes: 1 }, isDefault: false, location: { file: 'x', line: 1, col: 1 } };

describe('httpfsSecretSql', () => {
  it('points httpfs at an S3-compatible endpoint with path-style URLs and quoted credentials', () => {
    const sql = httpfsSecretSql({ ...base, endpoint: 'http://127.0.0.1:9000' }, 'us-east-1', { accessKeyId: 'AK', secretAccessKey: "it's" });
    expect(sql).toBe(`CREATE SECRET "s3_lake" (TYPE s3, REGION 'us-east-1', KEY_ID 'AK', SECRET 'it''s', ENDPOINT '127.0.0.1:9000', USE_SSL false, URL_STYLE 'path')`);
  });

  it('uses virtual-host URLs and no endpoint for AWS itself', () => {
    expect(httpfsSecretSql({ ...base, pathStyle: false }, 'eu-west-1', undefined)).toBe(`CREATE SECRET "s3_lake" (TYPE s3, REGION 'eu-west-1', URL_STYLE 'vhost')`);
  });
});
