import 'server-only';

/**
 * The address that opens a distribution in a browser. On AWS that is
 * https://<domain>; against a local endpoint (the emulator) the same
 * distribution answers at http://<d…>.cloudfront.localhost:<port>, since
 * browsers send *.localhost to the loopback address.
 */
export function distributionUrl(domainName: string): string {
  const custom = process.env.AWS_ENDPOINT_URL_CLOUDFRONT ?? process.env.AWS_ENDPOINT_URL;
  if (custom && domainName.endsWith('.cloudfront.net')) {
    const u = new URL(custom);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return `${u.protocol}//${domainName.replace(/\.cloudfront\.net$/, '.cloudfront.localhost')}:${port}`;
  }
  return `https://${domainName}`;
}
