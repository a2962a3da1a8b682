import { newAdminPassword } from './admin-password';

describe('newAdminPassword', () => {
  const passwords = Array.from({ length: 500 }, () => newAdminPassword());

  it('meets FortiOS 7.6: 12 characters or more with upper, lower, digit and symbol', () => {
    for (const password of passwords) {
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
  });

  it('holds nothing the CLI would read as a quote, an escape, a separator or a help request', () => {
    for (const password of passwords) expect(password).not.toMatch(/["'\\\s?#;]/);
  });

  it('does not repeat', () => {
    expect(new Set(passwords).size).toBe(passwords.length);
  });
});
