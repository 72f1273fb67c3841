// The test server's known defects stay worked around: if the patch or the
// OpenSSL flag is lost, these fail before the source's tests mislead anyone.

import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

let server: S3TestServer;
const BUCKET = 'canary';

beforeAll(async () => {
  server = await startS3Server();
  await server.putAll(BUCKET, [
    ['deep/a/b/c.txt', 'c'],
    ['deep/a/b/d.txt', 'd'],
    ['deep/e/f/g.txt', 'g'],
    ['top.txt', 't'],
    ...Array.from({ length: 5 }, (_, i): [string, string] => [`many/${i}.txt`, String(i)]),
  ]);
}, 30_000);

afterAll(() => server?.stop());

describe('the s3rver test server', () => {
  it('returns common prefixes of keys nested two levels below the prefix (patched Delimiter listing)', async () => {
    const root = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
    expect(root.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['deep/', 'many/']);
    expect(root.Contents?.map((o) => o.Key)).toEqual(['top.txt']);
    const deep = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'deep/', Delimiter: '/' }));
    expect(deep.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['deep/a/', 'deep/e/']);
  });

  it('follows continuation tokens of paginated listings (OpenSSL legacy provider)', async () => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await server.client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/', MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toEqual(['many/0.txt', 'many/1.txt', 'many/2.txt', 'many/3.txt', 'many/4.txt']);
  });

  it('stores bodies byte for byte', async () => {
    const got = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'deep/a/b/c.txt' }));
    expect(await got.Body!.transformToString()).toBe('c');
  });
});
