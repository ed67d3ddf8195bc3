import { describe, expect, it } from 'vitest';
import { ACTION_BODY_LIMIT_BYTES, refuseActionRequest } from './action-request';

const ACTION = { 'next-action': '7f00aa', host: 'berth.example.com', origin: 'https://berth.example.com' };

function post(headers: Record<string, string>, body?: BodyInit, path = '/s3/site'): Promise<Response | null> {
  const req = new Request(`https://berth.example.com${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  return refuseActionRequest(req, path);
}

/** A body sent in chunks, without Content-Length. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(c) {
      if (left <= 0) return c.close();
      const n = Math.min(left, 64 * 1024);
      left -= n;
      c.enqueue(new Uint8Array(n));
    },
  });
}

describe('server action requests Next would answer with a 500', () => {
  it('lets an ordinary action through', async () => {
    expect(await post(ACTION, '["$undefined",{"a":1}]')).toBeNull();
    expect(await post({ ...ACTION, 'x-forwarded-host': 'berth.example.com, inner', host: '10.0.0.5:3000' }, '[]')).toBeNull();
  });

  it('answers a body over 1 MB with 413 and a sentence, declared or chunked', async () => {
    const declared = await post({ ...ACTION, 'content-length': String(ACTION_BODY_LIMIT_BYTES + 1) });
    expect(declared?.status).toBe(413);
    expect(await declared?.text()).toMatch(/^Berth did not accept this form: it sent more than 1 MB/);
    expect((await post(ACTION, chunked(ACTION_BODY_LIMIT_BYTES + 10)))?.status).toBe(413);
    expect((await post(ACTION, chunked(ACTION_BODY_LIMIT_BYTES)))?.status).toBe(400); // within the limit, but zeros are not JSON
  });

  it('answers a body Next’s decoder cannot start on with 400 and a sentence', async () => {
    const text = await post({ ...ACTION, 'content-type': 'text/plain;charset=UTF-8' }, 'this is not json');
    expect(text?.status).toBe(400);
    expect(await text?.text()).toMatch(/^Berth could not read this request/);
    const form = new FormData();
    form.set('0', '["$K1"');
    expect((await post(ACTION, form))?.status).toBe(400);
    expect((await post({ ...ACTION, 'content-type': 'multipart/form-data; boundary=nope' }, 'garbage'))?.status).toBe(400);
    const good = new FormData();
    good.set('0', '["$K1"]');
    good.set('1_bucket', 'site');
    expect(await post(ACTION, good)).toBeNull();
  });

  it('answers Origin: null, a malformed Origin and another site with 403/400', async () => {
    expect((await post({ ...ACTION, origin: 'null' }))?.status).toBe(403);
    const malformed = await post({ ...ACTION, origin: 'not a url' });
    expect(malformed?.status).toBe(400);
    expect(await malformed?.text()).toMatch(/Origin header of this request is not a URL/);
    expect((await post({ ...ACTION, origin: 'https://evil.example' }))?.status).toBe(403);
  });

  it('leaves other POSTs alone: route handlers (uploads) and non-action requests', async () => {
    const big = { host: 'berth.example.com', origin: 'null', 'content-type': 'multipart/form-data; boundary=x', 'content-length': '99999999' };
    expect(await post(big, undefined, '/s3/site/object')).toBeNull();
    expect((await post(big, undefined, '/s3/site'))?.status).toBe(403);
    expect(await post({ host: 'berth.example.com', 'content-type': 'application/json', 'content-length': '99999999' })).toBeNull();
  });
});
