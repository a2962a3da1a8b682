import type { OutgoingMail } from '@app/mail';

// The mail that asks a company to answer the questionnaire. Pure: the facts in, the mail out.

export interface QuestionnaireInvitation {
  questionnaireId: string;
  programName: string;
  companyName: string;
  contactName: string | null;
  contactEmail: string;
  /** `<public origin>/questionnaire/<token>`: the token is the only key to the answer form. */
  link: string;
}

export function questionnaireMail(invitation: QuestionnaireInvitation): OutgoingMail {
  const addressee = invitation.contactName
    ? `${invitation.companyName}\n${invitation.contactName} 様`
    : `${invitation.companyName} ご担当者様`;
  return {
    to: [invitation.contactEmail],
    subject:
      `【アンケートのお願い】${invitation.programName} / ` +
      `Questionnaire: ${invitation.programName}`,
    text: [
      addressee,
      ``,
      `${invitation.programName}へのご参加ありがとうございました。`,
      `支援を通じたセキュリティ意識の変化などについて、アンケートへのご回答をお願いいたします。`,
      `回答は一度のみ可能です。所要時間は5分程度です。`,
      ``,
      invitation.link,
      ``,
      `ご回答は個社が特定されない形で集計し、東京都が事業の成果として公表することがあります。`,
      `このリンクはご担当者様専用です。転送しないでください。`,
      ``,
      `----`,
      ``,
      `Thank you for taking part in ${invitation.programName}.`,
      `Please answer a short questionnaire on your security awareness and the support (about five`,
      `minutes, one answer per company):`,
      ``,
      invitation.link,
      ``,
      `Answers are aggregated anonymously; Tokyo may publish them as the programme's outcome.`,
      `This link is for you only; please do not forward it.`,
    ].join('\n'),
    purpose: 'questionnaire.invitation',
    subjectId: invitation.questionnaireId,
  };
}
