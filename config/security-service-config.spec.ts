import { ConfigError, loadConfig } from './app-config';

describe('log intake, mail and incident configuration', () => {
  it('defaults: syslog on loopback port 5140 (TCP and UDP) as API.md says, no TLS, units not told; mail queued only', () => {
    const config = loadConfig({});
    expect(config.logIntake).toEqual({
      host: '127.0.0.1',
      tcpPort: 5140,
      udpPort: 5140,
      tlsCertFile: null,
      tlsKeyFile: null,
      advertisedHost: null,
      advertisedPort: 5140,
      unknownSourceAlertPerDay: 100,
    });
    expect(config.mail).toEqual({
      smtpUrl: null,
      from: 'trialfleet@localhost',
      deskOnCall: null,
      sales: null,
    });
    expect(config.incidents).toEqual({ correlationWindowMinutes: 60 });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      TRIALFLEET_SYSLOG_HOST: '0.0.0.0',
      TRIALFLEET_SYSLOG_TCP_PORT: '6514',
      TRIALFLEET_SYSLOG_UDP_PORT: '514',
      TRIALFLEET_SYSLOG_TLS_CERT: '/etc/trialfleet/syslog.crt',
      TRIALFLEET_SYSLOG_TLS_KEY: '/etc/trialfleet/syslog.key',
      TRIALFLEET_SYSLOG_ADVERTISED_HOST: 'logs.trialfleet.jp',
      TRIALFLEET_SYSLOG_UNKNOWN_ALERT_PER_DAY: '10',
      TRIALFLEET_SMTP_URL: 'smtps://mailer:pw@smtp.example.jp:465',
      TRIALFLEET_MAIL_FROM: 'noreply@trialfleet.jp',
      TRIALFLEET_DESK_ONCALL_EMAIL: 'oncall@desk.example.jp',
      TRIALFLEET_SALES_EMAIL: 'sales@example.jp',
      TRIALFLEET_INCIDENT_WINDOW_MINUTES: '30',
    });
    expect(config.logIntake).toEqual({
      host: '0.0.0.0',
      tcpPort: 6514,
      udpPort: 514,
      tlsCertFile: '/etc/trialfleet/syslog.crt',
      tlsKeyFile: '/etc/trialfleet/syslog.key',
      advertisedHost: 'logs.trialfleet.jp',
      // The units are told the port the receiver listens on unless told another.
      advertisedPort: 6514,
      unknownSourceAlertPerDay: 10,
    });
    expect(config.mail).toEqual({
      smtpUrl: 'smtps://mailer:pw@smtp.example.jp:465',
      from: 'noreply@trialfleet.jp',
      deskOnCall: 'oncall@desk.example.jp',
      sales: 'sales@example.jp',
    });
    expect(config.incidents.correlationWindowMinutes).toBe(30);
  });

  it.each([
    [{ TRIALFLEET_SYSLOG_TLS_CERT: '/a.crt' }, 'TRIALFLEET_SYSLOG_TLS_KEY'],
    [{ TRIALFLEET_SYSLOG_TLS_KEY: '/a.key' }, 'TRIALFLEET_SYSLOG_TLS_CERT'],
    [{ TRIALFLEET_SYSLOG_TCP_PORT: '70000' }, 'TRIALFLEET_SYSLOG_TCP_PORT'],
    [{ TRIALFLEET_SMTP_URL: 'http://smtp.example.jp' }, 'TRIALFLEET_SMTP_URL'],
    [{ TRIALFLEET_DESK_ONCALL_EMAIL: 'on call' }, 'TRIALFLEET_DESK_ONCALL_EMAIL'],
    [{ TRIALFLEET_INCIDENT_WINDOW_MINUTES: '0' }, 'TRIALFLEET_INCIDENT_WINDOW_MINUTES'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('never echoes an SMTP URL, which may carry a password', () => {
    let refusal: unknown = null;
    try {
      loadConfig({ TRIALFLEET_SMTP_URL: 'ftp://mailer:top-secret@smtp.example.jp' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toContain('TRIALFLEET_SMTP_URL');
    expect((refusal as Error).message).not.toContain('top-secret');
  });
});
