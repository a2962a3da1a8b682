import { canHoldSocket } from './embedded-database';

describe('the embedded database socket', () => {
  it('lives in the cluster folder when its path fits in a Unix socket address', () => {
    expect(canHoldSocket('/var/lib/trialfleet/postgres', 5433)).toBe(true);
  });

  it('is left out (TCP only) when the folder path is too long for sockaddr_un', () => {
    expect(canHoldSocket(`/tmp/${'deep/'.repeat(18)}postgres`, 5433)).toBe(false);
  });

  it('is left out when the folder would split the setting (comma) or need quoting (space)', () => {
    expect(canHoldSocket('/srv/a,b/postgres', 5433)).toBe(false);
    expect(canHoldSocket('/srv/my data/postgres', 5433)).toBe(false);
  });
});
