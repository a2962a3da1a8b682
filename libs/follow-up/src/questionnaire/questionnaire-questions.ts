// The questionnaire a company answers after its support (事業終了後のアンケート): the questions as
// data, the rules an answer must meet, and the summary of the answers. Pure: no clock, no I/O.

/** A 1–5 scale, 1 the lowest. */
export interface ScaleQuestion {
  id: string;
  kind: 'scale';
  text: { ja: string; en: string };
  min: 1;
  max: 5;
  required: true;
}

export interface ChoiceOption {
  id: string;
  text: { ja: string; en: string };
}

/** One option (`single`) or any number of them (`multiple`). */
export interface ChoiceQuestion {
  id: string;
  kind: 'single' | 'multiple';
  text: { ja: string; en: string };
  options: readonly ChoiceOption[];
  required: boolean;
}

export interface TextQuestion {
  id: string;
  kind: 'text';
  text: { ja: string; en: string };
  maxLength: number;
  required: false;
}

/** A yes/no consent; stored in its own column as well, since lists are drawn from it. */
export interface ConsentQuestion {
  id: 'consentNextYearSurvey' | 'consentHearing';
  kind: 'consent';
  text: { ja: string; en: string };
  required: true;
}

export type Question = ScaleQuestion | ChoiceQuestion | TextQuestion | ConsentQuestion;

const scale = (id: string, ja: string, en: string): ScaleQuestion => ({
  id,
  kind: 'scale',
  text: { ja, en },
  min: 1,
  max: 5,
  required: true,
});

/** The questions, in the order they are asked. Ids are stable: stored answers are keyed by them. */
export const QUESTIONS: readonly Question[] = [
  scale(
    'awarenessBefore',
    '支援を受ける前、貴社のセキュリティ意識はどの程度でしたか（1: 低い 〜 5: 高い）',
    'Your security awareness before the support (1: low to 5: high)',
  ),
  scale(
    'awarenessAfter',
    '支援を受けた後、貴社のセキュリティ意識はどの程度ですか（1: 低い 〜 5: 高い）',
    'Your security awareness after the support (1: low to 5: high)',
  ),
  scale(
    'usefulness',
    '今回の支援は役に立ちましたか（1: 役に立たなかった 〜 5: とても役に立った）',
    'How useful was the support (1: not at all to 5: very)',
  ),
  {
    id: 'measuresKept',
    kind: 'multiple',
    text: {
      ja: '今後も継続する対策を選んでください（複数選択可）',
      en: 'The measures you will keep (choose any)',
    },
    options: [
      { id: 'utm', text: { ja: 'UTM の利用', en: 'Using a UTM' } },
      { id: 'edr', text: { ja: 'EDR の利用', en: 'Using EDR' } },
      { id: 'policy', text: { ja: 'セキュリティポリシーの運用', en: 'A security policy' } },
      { id: 'training', text: { ja: '従業員教育', en: 'Staff training' } },
      { id: 'backup', text: { ja: 'バックアップ', en: 'Backups' } },
      { id: 'updates', text: { ja: 'OS・ソフトウェアの更新', en: 'Keeping software updated' } },
      { id: 'none', text: { ja: '特になし', en: 'None' } },
    ],
    required: true,
  },
  {
    id: 'equipmentIntent',
    kind: 'single',
    text: {
      ja: '機器・サービスを本契約する予定はありますか',
      en: 'Do you intend to contract the equipment or service',
    },
    options: [
      { id: 'yes', text: { ja: 'はい', en: 'Yes' } },
      { id: 'no', text: { ja: 'いいえ', en: 'No' } },
      { id: 'undecided', text: { ja: '未定', en: 'Undecided' } },
    ],
    required: true,
  },
  {
    id: 'comment',
    kind: 'text',
    text: { ja: 'ご意見・ご感想（任意）', en: 'Comments (optional)' },
    maxLength: 2000,
    required: false,
  },
  {
    id: 'consentNextYearSurvey',
    kind: 'consent',
    text: {
      ja: '来年度の追跡調査へのご協力に同意しますか',
      en: 'Do you agree to take part in next fiscal year’s survey',
    },
    required: true,
  },
  {
    id: 'consentHearing',
    kind: 'consent',
    text: {
      ja: '事例紹介のためのヒアリングへのご協力に同意しますか',
      en: 'Do you agree to a hearing for the programme’s case studies',
    },
    required: true,
  },
];

export type AnswerValue = number | string | string[] | boolean;
/** Answers keyed by question id; an unanswered optional question is absent. */
export type Answers = Record<string, AnswerValue>;

export interface AnswerProblem {
  field: string;
  problems: string[];
}

export type AnswerCheck =
  | { valid: true; answers: Answers; consentNextYearSurvey: boolean; consentHearing: boolean }
  | { valid: false; problems: AnswerProblem[] };

function problemOf(question: Question, value: unknown): string | null {
  switch (question.kind) {
    case 'scale':
      return typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= question.min &&
        value <= question.max
        ? null
        : `must be an integer from ${question.min} to ${question.max}`;
    case 'single':
      return typeof value === 'string' && question.options.some((o) => o.id === value)
        ? null
        : `must be one of ${question.options.map((o) => o.id).join(', ')}`;
    case 'multiple': {
      if (!Array.isArray(value) || value.length === 0) return 'must list at least one option';
      const ids = value as unknown[];
      if (ids.some((id) => typeof id !== 'string' || !question.options.some((o) => o.id === id))) {
        return `must list options of ${question.options.map((o) => o.id).join(', ')}`;
      }
      if (new Set(ids).size !== ids.length) return 'must not list an option twice';
      return null;
    }
    case 'text':
      return typeof value === 'string' && value.length <= question.maxLength
        ? null
        : `must be text of at most ${question.maxLength} characters`;
    case 'consent':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/**
 * Checks an answer against the question set: every required question answered, each value in its
 * range, no question the set does not ask. Blank text counts as unanswered. Every problem is listed.
 */
export function checkAnswers(
  input: unknown,
  questions: readonly Question[] = QUESTIONS,
): AnswerCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { valid: false, problems: [{ field: 'answers', problems: ['must be an object'] }] };
  }
  const given = input as Record<string, unknown>;
  const problems: AnswerProblem[] = [];
  const answers: Answers = {};
  for (const key of Object.keys(given)) {
    if (!questions.some((question) => question.id === key)) {
      problems.push({
        field: `answers.${key}`,
        problems: ['is not a question of this questionnaire'],
      });
    }
  }
  for (const question of questions) {
    let value = given[question.id];
    if (typeof value === 'string' && question.kind === 'text') {
      value = value.trim();
      if (value === '') value = undefined;
    }
    if (value === undefined || value === null) {
      if (question.required) {
        problems.push({ field: `answers.${question.id}`, problems: ['must be answered'] });
      }
      continue;
    }
    const problem = problemOf(question, value);
    if (problem) problems.push({ field: `answers.${question.id}`, problems: [problem] });
    else answers[question.id] = value as AnswerValue;
  }
  if (problems.length > 0) return { valid: false, problems };
  return {
    valid: true,
    answers,
    consentNextYearSurvey: answers.consentNextYearSurvey === true,
    consentHearing: answers.consentHearing === true,
  };
}

/** The free-text answers: what erasing a company's personal data clears (scores are kept). */
export const FREE_TEXT_QUESTION_IDS: readonly string[] = QUESTIONS.filter(
  (question) => question.kind === 'text',
).map((question) => question.id);

export interface ScaleSummary {
  questionId: string;
  answered: number;
  /** Rounded to two decimals; null when nobody answered. */
  average: number | null;
  /** Answers per value, "1" to "5". */
  distribution: Record<string, number>;
}

export interface ChoiceSummary {
  questionId: string;
  answered: number;
  /** Answers per option id (a multiple-choice answer counts once for each option it lists). */
  counts: Record<string, number>;
}

export interface QuestionnaireSummary {
  sent: number;
  answered: number;
  /** answered / sent, rounded to four decimals; null when none was sent. */
  responseRate: number | null;
  scales: ScaleSummary[];
  choices: ChoiceSummary[];
  consents: { nextYearSurvey: number; hearing: number };
  /** The free-text comments, oldest answer first; never with the company they came from. */
  comments: string[];
}

/** Sums up answered questionnaires. `sent` counts questionnaires mailed (answered ones included). */
export function summarise(
  sent: number,
  answered: readonly Answers[],
  questions: readonly Question[] = QUESTIONS,
): QuestionnaireSummary {
  const scales: ScaleSummary[] = [];
  const choices: ChoiceSummary[] = [];
  const comments: string[] = [];
  for (const question of questions) {
    const values = answered.map((answers) => answers[question.id]).filter((v) => v !== undefined);
    switch (question.kind) {
      case 'scale': {
        const numbers = values.filter((v): v is number => typeof v === 'number');
        const distribution: Record<string, number> = {};
        for (let n = question.min; n <= question.max; n += 1) {
          distribution[String(n)] = numbers.filter((v) => v === n).length;
        }
        const sum = numbers.reduce((total, v) => total + v, 0);
        scales.push({
          questionId: question.id,
          answered: numbers.length,
          average: numbers.length === 0 ? null : Math.round((sum / numbers.length) * 100) / 100,
          distribution,
        });
        break;
      }
      case 'single':
      case 'multiple': {
        const counts = Object.fromEntries(question.options.map((option) => [option.id, 0]));
        for (const value of values) {
          for (const id of Array.isArray(value) ? value : [value]) {
            if (typeof id === 'string' && id in counts) counts[id] = (counts[id] ?? 0) + 1;
          }
        }
        choices.push({ questionId: question.id, answered: values.length, counts });
        break;
      }
      case 'text':
        comments.push(...values.filter((v): v is string => typeof v === 'string' && v !== ''));
        break;
      case 'consent':
        break;
    }
  }
  return {
    sent,
    answered: answered.length,
    responseRate: sent === 0 ? null : Math.round((answered.length / sent) * 10_000) / 10_000,
    scales,
    choices,
    consents: {
      nextYearSurvey: answered.filter((a) => a.consentNextYearSurvey === true).length,
      hearing: answered.filter((a) => a.consentHearing === true).length,
    },
    comments,
  };
}
