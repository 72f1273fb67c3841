// The built scan worker whose AWS SDK retries wait the shortest the SDK can
// draw (see shortestRetryWaits in s3-server.ts): GetObject retries in a test
// hunt go through the real retry strategy without sleeping.

Math.random = () => 0;
await import('../../dist/workers/scan.worker.js');
