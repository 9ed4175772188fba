import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3SourceConfig } from '../../config/types';
import { freePort } from '../../testing/freePort';
import { s3Client, SdkObjectStore } from './objectStore';

const config = (endpoint: string): S3SourceConfig => ({
  name: 'lake',
  type: 's3',
  endpoint,
  pathStyle: true,
  mode: 'sdk',
  credentials: { accessKeyId: 'AKIA-TEST', secretAccessKey: 'wrong-secret-value' },
  cache: { maxSizeBytes: 1 },
  isDefault: false,
  location: { file: 'datatrust.yml', line: 1, col: 1 },
});

/** A loopback server answering every request as S3 answers a request signed with the wrong secret. */
async function refusingStore(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('SdkObjectStore errors', () => {
  it('a wrong secret (SignatureDoesNotMatch, which s3rver does not check) names the credentials and never shows them', async () => {
    const { server, url } = await refusingStore();
    const client = s3Client(config(url));
    try {
      const error = await new SdkObjectStore(client).list('bank-lake', 'tx/').catch((e: Error) => e);
      expect((error as Error).message).toMatch(/^cannot list s3:\/\/bank-lake\/tx\/: SignatureDoesNotMatch \(HTTP 403\): The request signature .* \(check the source's credentials/);
      expect((error as Error).message).not.toContain('wrong-secret-value');
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('an endpoint nobody listens on is an error naming the address', async () => {
    const client = s3Client(config(`http://127.0.0.1:${await freePort()}`));
    try {
      await expect(new SdkObjectStore(client).list('bank-lake', 'tx/')).rejects.toThrow(/^cannot list s3:\/\/bank-lake\/tx\/: .*ECONNREFUSED/);
    } finally {
      client.destroy();
    }
  });
});
