import 'server-only';
import { emulatorEndpointFor } from '@/lib/aws/identity';

/**
 * Makes the addresses that open distributions in a browser. On AWS (and
 * through any endpoint that is not the emulator: a VPC endpoint, a proxy)
 * that is https://<domain>, exactly as CloudFront names it. Only when the
 * emulator itself said it serves CloudFront do its made-up *.cloudfront.net
 * names become http://<d…>.cloudfront.localhost:<port>, where its edge
 * answers: browsers send *.localhost to the loopback address.
 */
export async function distributionLinker(): Promise<(domainName: string) => string> {
  const emulator = await emulatorEndpointFor('CLOUDFRONT');
  return (domainName) => {
    if (emulator && domainName.endsWith('.cloudfront.net')) {
      const port = emulator.port || (emulator.protocol === 'https:' ? '443' : '80');
      return `${emulator.protocol}//${domainName.replace(/\.cloudfront\.net$/, '.cloudfront.localhost')}:${port}`;
    }
    return `https://${domainName}`;
  };
}

/** The address of one distribution; see distributionLinker. */
export async function distributionUrl(domainName: string): Promise<string> {
  return (await distributionLinker())(domainName);
}
