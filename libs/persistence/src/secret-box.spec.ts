import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never shows the plaintext', async () => {
    const sealed = box.seal('admin-password-123');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('admin-password-123');
    expect(box.open(sealed)).toBe('admin-password-123');
  });

  it('seals the same secret differently each time (random IV)', async () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses a tampered seal and a seal from another key', async () => {
    const sealed = box.sealJson({ password: 'p' });
    const [v, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = flipped[0] ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(box.openJson(sealed)).toEqual({ password: 'p' });
  });
});
