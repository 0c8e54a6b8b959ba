import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files made for one test run: a CA, a server certificate and a client certificate. */
export interface TestCertificates {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A second CA that signed none of them: trusting it alone must fail. */
  readonly otherCaFile: string;
  dispose(): Promise<void>;
}

/**
 * Make a private CA with openssl (P-256 keys, valid one day), a server certificate for 127.0.0.1
 * and localhost, and a client certificate, all signed by it. Needs `openssl` (Debian: openssl).
 */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'qw-tls-'));
  const at = (name: string): string => join(dir, name);
  const openssl = async (...args: string[]): Promise<void> => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT'
          ? 'openssl is not installed: apt-get install -y openssl'
          : `openssl ${args.join(' ')} failed: ${String(error)}`,
        { cause: error },
      );
    }
  };
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = async (name: string): Promise<void> => {
    await openssl(
      'req',
      '-x509',
      ...key,
      '-days',
      '1',
      '-subj',
      `/CN=Queuewatch test ${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    );
  };
  const signed = async (name: string, subject: string, extensions: string): Promise<void> => {
    await writeFile(at(`${name}.ext`), `${extensions}\n`);
    await openssl('req', ...key, '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    await openssl(
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
  await ca('ca');
  await ca('other-ca');
  await signed('server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  await signed('client', '/CN=queuewatch', 'extendedKeyUsage=clientAuth');
  return {
    dir,
    caFile: at('ca.crt'),
    serverCertFile: at('server.crt'),
    serverKeyFile: at('server.key'),
    clientCertFile: at('client.crt'),
    clientKeyFile: at('client.key'),
    otherCaFile: at('other-ca.crt'),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
