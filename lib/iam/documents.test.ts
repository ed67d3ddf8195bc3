import { describe, expect, it } from 'vitest';
import { decodeDocument, readDocument } from './documents';

const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringLike: { 'aws:UserAgent': '100% sure*' } } }] };

describe('policy documents from IAM', () => {
  it('decodes the RFC 3986 encoding IAM sends, and pretty-prints', () => {
    const encoded = encodeURIComponent(JSON.stringify(POLICY));
    expect(encoded.startsWith('%7B')).toBe(true);
    const doc = readDocument(encoded);
    expect(doc.json).toEqual(POLICY);
    expect(doc.text).toBe(JSON.stringify(POLICY, null, 2));
  });

  it('leaves a document that arrives decoded as it is, so a "%" inside is not decoded twice', () => {
    const plain = JSON.stringify(POLICY);
    expect(decodeDocument(plain)).toBe(plain);
    expect(decodeDocument(`  ${plain}`)).toBe(`  ${plain}`);
    expect(readDocument(plain).json).toEqual(POLICY);
  });

  it('shows what it cannot read as it came', () => {
    expect(readDocument('%E0%A4%A')).toEqual({ text: '%E0%A4%A', json: null });
    expect(readDocument(encodeURIComponent('not json'))).toEqual({ text: 'not json', json: null });
    expect(readDocument(undefined)).toEqual({ text: '', json: null });
  });
});
