import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files of a throwaway certificate authority, a server certificate for 127.0.0.1 and a client certificate. */
export interface TestCertificates {
  dir: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
  /** Another authority, which signed none of these. */
  otherCaCert: string;
  remove(): void;
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Generates the certificates with `openssl` (node's crypto makes keys but not certificates); undefined
 * without openssl, for the caller to skip.
 */
export function makeTestCertificates(): TestCertificates | undefined {
  if (!hasOpenssl()) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const authority = (name: string) =>
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  const signed = (name: string, extensions: string) => {
    fs.writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  };
  authority('ca');
  authority('other-ca');
  signed('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caCert: file('ca.crt'),
    serverKey: file('server.key'),
    serverCert: file('server.crt'),
    clientKey: file('client.key'),
    clientCert: file('client.crt'),
    otherCaCert: file('other-ca.crt'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
