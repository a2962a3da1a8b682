import { APPLICATION_STATES, type ApplicationState } from './application.entity';
import { applicationWithdrawalMove } from './application-withdrawal';

describe('applicationWithdrawalMove', () => {
  it('closes an open application, keeps a withdrawn one, refuses a rejected one', async () => {
    const moves = Object.fromEntries(
      APPLICATION_STATES.map((state: ApplicationState) => [
        state,
        applicationWithdrawalMove(state).kind,
      ]),
    );
    expect(moves).toEqual({
      received: 'close',
      complete: 'close',
      confirmed: 'close',
      withdrawn: 'unchanged',
      rejected: 'refused',
    });
  });

  it('refuses a rejected application as APPLICATION_ENDED', async () => {
    expect(applicationWithdrawalMove('rejected')).toMatchObject({
      kind: 'refused',
      code: 'APPLICATION_ENDED',
    });
  });
});
