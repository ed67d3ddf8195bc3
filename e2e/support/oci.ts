import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

// Writes a small, valid OCI image layout to disk (one gzip layer, a config,
// a manifest and index.json) for skopeo to push. Returns what the registry
// should report for it afterwards.

function sha(buf: Buffer) {
  return `sha256:${crypto.createHash('sha256').update(buf).digest('hex')}`;
}

export function makeOciLayout(tag: string, layerBytes = 300_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-oci-'));
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  const put = (buf: Buffer) => {
    const d = sha(buf);
    fs.writeFileSync(path.join(blobs, d.slice(7)), buf);
    return d;
  };
  // Random content compresses badly, so the layer's size is close to layerBytes.
  const layer = zlib.gzipSync(crypto.randomBytes(layerBytes));
  const layerDigest = put(layer);
  const diffId = sha(zlib.gunzipSync(layer));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: new Date().toISOString(),
      config: { Cmd: ['/app/server'], Env: ['PORT=8080'], ExposedPorts: { '8080/tcp': {} }, WorkingDir: '/app' },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: new Date().toISOString(), created_by: 'COPY server /app/server' }],
    }),
  );
  const configDigest = put(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  const manifestDigest = put(manifest);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { dir, manifestDigest, layerSize: layer.length, layerDigest, configSize: config.length };
}
