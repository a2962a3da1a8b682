import {
  checkAnswers,
  FREE_TEXT_QUESTION_IDS,
  QUESTIONS,
  summarise,
} from './questionnaire-questions';

const COMPLETE = {
  awarenessBefore: 2,
  awarenessAfter: 4,
  usefulness: 5,
  measuresKept: ['utm', 'training'],
  equipmentIntent: 'undecided',
  comment: '分かりやすかった',
  consentNextYearSurvey: true,
  consentHearing: false,
};

describe('the questionnaire', () => {
  it('asks each question once, with stable ids, the consents last', () => {
    const ids = QUESTIONS.map((question) => question.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'awarenessBefore',
      'awarenessAfter',
      'usefulness',
      'measuresKept',
      'equipmentIntent',
      'comment',
      'consentNextYearSurvey',
      'consentHearing',
    ]);
    expect(FREE_TEXT_QUESTION_IDS).toEqual(['comment']);
  });

  it('accepts a complete answer and reads the consents from it', () => {
    expect(checkAnswers(COMPLETE)).toEqual({
      valid: true,
      answers: COMPLETE,
      consentNextYearSurvey: true,
      consentHearing: false,
    });
  });

  it('accepts an answer without the optional comment; blank text is no comment', () => {
    const { comment: _comment, ...rest } = COMPLETE;
    expect(checkAnswers(rest).valid).toBe(true);
    const blank = checkAnswers({ ...COMPLETE, comment: '   ' });
    expect(blank.valid && 'comment' in blank.answers).toBe(false);
  });

  it.each([
    ['a scale below 1', { awarenessBefore: 0 }, 'answers.awarenessBefore'],
    ['a scale above 5', { usefulness: 6 }, 'answers.usefulness'],
    ['a fractional scale', { awarenessAfter: 3.5 }, 'answers.awarenessAfter'],
    ['a scale as text', { awarenessAfter: '3' }, 'answers.awarenessAfter'],
    ['an unknown option', { equipmentIntent: 'maybe' }, 'answers.equipmentIntent'],
    ['no measure at all', { measuresKept: [] }, 'answers.measuresKept'],
    ['an unknown measure', { measuresKept: ['utm', 'firewall'] }, 'answers.measuresKept'],
    ['a measure twice', { measuresKept: ['utm', 'utm'] }, 'answers.measuresKept'],
    ['a consent as text', { consentHearing: 'yes' }, 'answers.consentHearing'],
    ['a comment too long', { comment: 'あ'.repeat(2001) }, 'answers.comment'],
    ['a question not asked', { favouriteColour: 'blue' }, 'answers.favouriteColour'],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const check = checkAnswers({ ...COMPLETE, ...change });
    expect(check.valid).toBe(false);
    if (!check.valid) expect(check.problems.map((p) => p.field)).toEqual([field]);
  });

  it('lists every required question left out', () => {
    const check = checkAnswers({ comment: 'only this' });
    expect(check.valid).toBe(false);
    if (!check.valid) {
      expect(check.problems.map((p) => p.field)).toEqual([
        'answers.awarenessBefore',
        'answers.awarenessAfter',
        'answers.usefulness',
        'answers.measuresKept',
        'answers.equipmentIntent',
        'answers.consentNextYearSurvey',
        'answers.consentHearing',
      ]);
    }
  });

  it('refuses what is not an object', () => {
    expect(checkAnswers([1, 2]).valid).toBe(false);
    expect(checkAnswers(null).valid).toBe(false);
  });
});

describe('the summary', () => {
  it('counts, averages and distributes the answers; the rate is of those sent', () => {
    const { comment: _comment, ...withoutComment } = COMPLETE;
    const summary = summarise(4, [
      COMPLETE,
      { ...withoutComment, awarenessBefore: 1, usefulness: 4, measuresKept: ['utm'] },
      { ...COMPLETE, awarenessBefore: 1, equipmentIntent: 'yes', consentHearing: true },
    ]);
    expect(summary).toMatchObject({ sent: 4, answered: 3, responseRate: 0.75 });
    expect(summary.scales.find((s) => s.questionId === 'awarenessBefore')).toEqual({
      questionId: 'awarenessBefore',
      answered: 3,
      average: 1.33,
      distribution: { '1': 2, '2': 1, '3': 0, '4': 0, '5': 0 },
    });
    expect(summary.scales.find((s) => s.questionId === 'usefulness')?.average).toBe(4.67);
    expect(summary.choices.find((c) => c.questionId === 'measuresKept')?.counts).toEqual({
      utm: 3,
      edr: 0,
      policy: 0,
      training: 2,
      backup: 0,
      updates: 0,
      none: 0,
    });
    expect(summary.choices.find((c) => c.questionId === 'equipmentIntent')?.counts).toEqual({
      yes: 1,
      no: 0,
      undecided: 2,
    });
    expect(summary.consents).toEqual({ nextYearSurvey: 3, hearing: 1 });
    expect(summary.comments).toEqual(['分かりやすかった', '分かりやすかった']);
  });

  it('has no rate and no averages when nothing was sent or answered', () => {
    const summary = summarise(0, []);
    expect(summary.responseRate).toBeNull();
    expect(summary.scales.every((s) => s.average === null && s.answered === 0)).toBe(true);
  });
});
