#!/usr/bin/env node
'use strict';
// `npm run jaeger`: build Jaeger if needed, run it on its usual ports until Ctrl-C.
// `npm run jaeger -- --build-only`: just make sure the binary is built (CI does this before the tests).

const { ensureJaegerBinary, startJaeger, pinnedVersion } = require('./jaeger.js');

async function main() {
  const binary = ensureJaegerBinary({ build: true, log: console.log });
  if (binary === undefined) {
    console.error('Jaeger is not built and Go is not installed: install Go, or run Jaeger in Docker (see README, "Running Jaeger").');
    process.exit(1);
  }
  if (process.argv.includes('--build-only')) {
    console.log(`Jaeger ${pinnedVersion()}: ${binary}`);
    return;
  }
  const jaeger = await startJaeger(binary, { ports: 'default' });
  console.log(`Jaeger ${pinnedVersion()} is running (in-memory storage, loopback only). Ctrl-C stops it.
  Query API / UI        ${jaeger.queryUrl}   (e.g. ${jaeger.queryUrl}/api/services)
  UDP, binary Thrift    ${jaeger.agentHost}:${jaeger.agentPort}   (jaeger-client's default: local_agent.reporting_port)
  UDP, compact Thrift   ${jaeger.agentHost}:${jaeger.compactPort}   (Python jaeger_client)
  HTTP collector        ${jaeger.collectorUrl}   (reporter.collectorEndpoint)
  Remote sampling       http://127.0.0.1:${jaeger.samplingPort}/sampling?service=NAME   (local_agent.sampling_port)
  OTLP                  127.0.0.1:4317 (gRPC), ${jaeger.otlpHttpUrl} (HTTP)
  Health                ${jaeger.healthUrl}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Jaeger...');
    await jaeger.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
