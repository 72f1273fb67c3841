#!/usr/bin/env node
// The `hunt` command: the process around run(argv, io). Owns the exit code,
// Ctrl-C and a closed stdout pipe.

import { hideBin } from 'yargs/helpers';
import { run } from './cli.js';
import { EXIT } from './errors.js';

// hunt supports node 20 with a pinned SDK; the SDK's notice about its own future
// node support is noise on a responder's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const abort = new AbortController();
const onSignal = () => {
  if (abort.signal.aborted) process.exit(EXIT.interrupted); // second Ctrl-C: leave now
  abort.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// `| head -1`: a closed pipe ends the hunt quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

const code = await run(hideBin(process.argv), {
  stdout: (text) => new Promise<void>((resolve) => (text === '' ? resolve() : process.stdout.write(text, () => resolve()))),
  stderr: (text) => void process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stdout.columns,
  env: process.env,
  signal: abort.signal,
  progressStream: process.stderr,
});
// After Ctrl-C a worker may still sit in a blocking read: leave now rather than wait for it.
if (code === EXIT.interrupted) process.exit(code);
process.exitCode = code;
