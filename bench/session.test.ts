import { describe, expect, it } from 'vitest';
import { Session } from './session';

describe('the bench session keeps cookies as a browser does', () => {
  it('sends what it was given', () => {
    expect(new Session('a=1; authjs.session-token=xyz==').header()).toBe('a=1; authjs.session-token=xyz==');
  });

  it('takes a renewed cookie in place of the old one, attributes aside', () => {
    const s = new Session('authjs.csrf-token=c; authjs.session-token=old');
    s.take(['authjs.session-token=new.v=al; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 01 Dec 2100 12:00:00 GMT']);
    expect(s.header()).toBe('authjs.csrf-token=c; authjs.session-token=new.v=al');
  });

  it('drops a cookie that is cleared by Max-Age=0 or an Expires in the past', () => {
    const s = new Session('a=1; b=2; c=3');
    s.take(['a=; Path=/; Max-Age=0', 'b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'd=4']);
    expect(s.header()).toBe('c=3; d=4');
  });

  it('ignores an answer without Set-Cookie', () => {
    const s = new Session('a=1');
    s.take(undefined);
    s.take([]);
    expect(s.header()).toBe('a=1');
  });
});
