/** The public web form's and the questionnaire's messages; keys start with 'apply.' / 'programme.'. */
export const messages: { ja: Record<string, string>; en: Record<string, string> } = {
  ja: {
    // The programme's words, shared by the public form and the secretariat's pages.
    'programme.course.utm': '支援① UTM機器設置コース',
    'programme.course.edr': '支援② EDR導入コース',
    'programme.course.management': '支援③ 情報セキュリティマネジメント指導コース',
    'programme.courseText.utm':
      '1台で複数のセキュリティ機能を有するUTMを無料で3か月間体験できます（設置作業が必要です）。',
    'programme.courseText.edr':
      'サイバー攻撃の検出・分析、自動修復状況を確認できるEDRを3か月間無料で体験できます。',
    'programme.courseText.management':
      '専門家が基本方針や規程等の策定を指導・支援します（計4回）。SECURITY ACTION 二つ星宣言を目指します。',
    'programme.industry.manufacturing': '製造業',
    'programme.industry.construction': '建設業',
    'programme.industry.transport': '運輸業',
    'programme.industry.wholesale': '卸売業',
    'programme.industry.services': 'サービス業',
    'programme.industry.retail': '小売業',
    'programme.industry.other': 'その他の業種',
    'programme.attestation.taxesPaid': 'ア 都税、消費税及び地方消費税の額に滞納がないこと',
    'programme.attestation.lawful': 'イ 法令等もしくは公序良俗に反し、またはその恐れがないこと',
    'programme.attestation.noOverduePaymentsToTokyo':
      'ウ 東京都に対する賃料・使用料等の債務が存する場合、その支払いが滞っていないこと',
    'programme.attestation.noInsolvencyProceedings':
      'エ 民事再生法、会社更生法、破産法に基づく申立手続中（再生計画等認可後は除く）、又は私的整理手続中など、事業の継続性について不確実な状況が存在していないこと',
    'programme.attestation.notAntisocialOrExcludedBusiness':
      'オ 「東京都暴力団排除条例」に規定する暴力団関係者又は「風俗営業等の規制及び業務の適正化等に関する法律」第2条に規定する風俗関連業、ギャンブル業、賭博等、支援の対象として社会通念上適切でないと判断される業態を営むものではないこと',
    'programme.attestation.notExcludedSalesPractice':
      'カ その他、連鎖販売取引、ネガティブ・オプション（送り付け商法）、催眠商法、霊感商法など公的資金の助成先として適切でないと判断する業態を営むものではないこと',
    'programme.attestation.notReligiousOrPolitical':
      'キ 宗教活動や政治活動を主たる目的とする団体等でないこと',

    'apply.title': '中小企業サイバーセキュリティ基本対策事業 参加申込',
    'apply.intro':
      '必要事項を入力してお申し込みください。お申込み後、3営業日以内に運営事務局からご連絡（電話もしくはメール）いたします。参加に当たっての規定や遵守事項をご了承いただいた後に申込完了となります。',
    'apply.required': '* は必須です。',
    'apply.courses': 'ご希望の支援コース（複数選択可）*',
    'apply.courses.hint':
      '事前診断の結果により、ご希望と異なるコースで支援を行う場合があります。先着順で定員に達し次第締め切ります。',
    'apply.company': '企業の情報',
    'apply.company.name': '企業名（個人事業主の方は屋号またはお名前）*',
    'apply.company.corporateNumber': '法人番号（13桁、任意）',
    'apply.company.corporateNumberHint': '個人事業主の方は空欄のままで結構です。',
    'apply.company.industry': '業種 *',
    'apply.company.industryPick': '選んでください',
    'apply.company.capitalYen': '資本金（円）',
    'apply.company.capitalYenHint': '半角数字。個人事業主の方は空欄のままで結構です。',
    'apply.company.employees': '従業員数（人）*',
    'apply.company.soleProprietor': '個人事業主です',
    'apply.company.postalCode': '主たる事業所の郵便番号 *',
    'apply.company.postalCodeHint': '例：160-0023',
    'apply.company.address': '主たる事業所の住所 *',
    'apply.company.addressHint': '都道府県から。主たる事業所が東京都内にあることが要件です。',
    'apply.company.priorSupport': '過去にサイバーセキュリティ支援事業で受けた支援（該当するもの）',
    'apply.company.priorSupportHint':
      '同じ内容の支援は一度限りです。異なる内容の支援であればお申し込みいただけます。',
    'apply.company.subsidy':
      '本事業と同等のサイバーセキュリティ対策を支援する東京都の補助事業を活用しています',
    'apply.attestations': '要件の確認（ア〜キのすべてに該当することが必要です）*',
    'apply.contact': 'ご担当者',
    'apply.contact.name': 'ご担当者のお名前 *',
    'apply.contact.phone': '電話番号 *',
    'apply.contact.phoneHint': '例：03-1234-5678',
    'apply.contact.email': 'メールアドレス *',
    'apply.message': 'ご質問・ご要望（任意）',
    'apply.website': 'この欄は空のままにしてください',
    'apply.submit': '申し込む',
    'apply.submitting': '送信中…',
    'apply.pickCourse': '支援コースを1つ以上選んでください。',
    'apply.problems': '入力内容をご確認ください。',
    'apply.fieldProblem': '{field}：{problem}',

    'apply.receipt.title': 'お申込みを受け付けました',
    'apply.receipt.number': '受付番号',
    'apply.receipt.receivedAt': '受付日時（日本時間）',
    'apply.receipt.courses': 'ご希望のコース',
    'apply.receipt.held': '受付済み（定員内）',
    'apply.receipt.full': '定員に達しています',
    'apply.receipt.already_applied': 'すでにお申込みいただいています',
    'apply.receipt.callbackDueOn': '事務局からのご連絡',
    'apply.receipt.callbackDue': '{date} までにご連絡します',
    'apply.receipt.notYet':
      'お申込みはまだ完了していません。運営事務局からのご連絡で参加に当たっての規定や遵守事項をご説明し、その内容をご了承いただいた後に申込完了となります。受付のお知らせをメールでお送りしました。',

    'apply.error.ineligible': '次の理由により、お申込みいただけません。',
    'apply.error.full':
      'ご希望のコースは定員に達したため、受付を締め切りました。他のコースをご検討ください。',
    'apply.error.closed': '現在、申込受付期間外です。',
    'apply.error.already': 'ご希望のコースには、すでにお申込みいただいています。',
    'apply.error.address': '郵便番号と住所が一致しません。ご確認ください。',
    'apply.error.rateLimited':
      '短時間に多くのお申込みがありました。しばらく時間をおいてから、もう一度お試しください。',
    'apply.reason.SIZE_ABOVE_SME_LIMITS':
      '資本金と従業員数のいずれも、業種ごとの中小企業者の上限を超えています。',
    'apply.reason.HEAD_OFFICE_NOT_IN_TOKYO': '主たる事業所が東京都内にありません。',
    'apply.reason.USES_EQUIVALENT_TOKYO_SUBSIDY':
      '本事業と同等の対策を支援する東京都の補助事業を活用しています。',
    'apply.reason.ATTESTATION_MISSING': '確認されていない要件があります：{item}',
    'apply.reason.PRIOR_SUPPORT':
      '{course} の支援は過去に受けています（同じ内容の支援は一度限りです）。',
    'questionnaire.title': '支援後のアンケート',
    'questionnaire.intro':
      '{programme} にご参加いただき、ありがとうございました。セキュリティに関する意識調査にご協力をお願いいたします。* は必須です。',
    'questionnaire.yes': 'はい',
    'questionnaire.no': 'いいえ',
    'questionnaire.submit': '回答を送信する',
    'questionnaire.thanks': 'ご回答ありがとうございました',
    'questionnaire.thanksText': '{at} にご回答を受け付けました。',
    'questionnaire.alreadyAnswered': 'このアンケートには、すでにご回答いただいています。',
    'questionnaire.error.invalid':
      '未回答または範囲外の回答があります。印の付いた質問をご確認ください。',
    'questionnaire.error.field': 'この質問にお答えください。',
    'questionnaire.error.notFound':
      'このアンケートは見つかりません。メールのリンクをご確認ください。',
    'questionnaire.error.answered': 'このアンケートには、すでにご回答いただいています。',
  },
  en: {
    'programme.course.utm': 'Support 1: UTM appliance course',
    'programme.course.edr': 'Support 2: EDR course',
    'programme.course.management': 'Support 3: information security management course',
    'programme.courseText.utm':
      'Try a UTM, one appliance with several security functions, free for three months (it is installed on site).',
    'programme.courseText.edr':
      'Try EDR, which detects and analyses attacks and shows their automatic remediation, free for three months.',
    'programme.courseText.management':
      'An expert guides you in drafting a basic security policy and rules (four sessions), towards the SECURITY ACTION two-star declaration.',
    'programme.industry.manufacturing': 'Manufacturing',
    'programme.industry.construction': 'Construction',
    'programme.industry.transport': 'Transport',
    'programme.industry.wholesale': 'Wholesale',
    'programme.industry.services': 'Services',
    'programme.industry.retail': 'Retail',
    'programme.industry.other': 'Other industries',
    'programme.attestation.taxesPaid':
      'A: no unpaid Tokyo taxes, consumption tax or local consumption tax',
    'programme.attestation.lawful':
      'B: nothing contrary, or likely to be contrary, to the law or public order',
    'programme.attestation.noOverduePaymentsToTokyo':
      'C: no overdue payment of rent, fees or other debts owed to Tokyo',
    'programme.attestation.noInsolvencyProceedings':
      'D: no civil rehabilitation, corporate reorganisation, bankruptcy or private restructuring in progress that makes the business uncertain',
    'programme.attestation.notAntisocialOrExcludedBusiness':
      'E: no ties with organised crime, and no adult-entertainment, gambling or other business unfit for public support',
    'programme.attestation.notExcludedSalesPractice':
      'F: no pyramid selling, negative-option, hypnotic or spiritual sales or other business unfit for public funds',
    'programme.attestation.notReligiousOrPolitical':
      'G: not a body whose main purpose is religious or political activity',

    'apply.title': 'SME cyber security basic measures programme: application',
    'apply.intro':
      'Fill in the form to apply. The secretariat will contact you by phone or email within 3 business days to explain the rules of participation; the application is complete only once you have accepted them.',
    'apply.required': '* marks a required field.',
    'apply.courses': 'The courses you wish to take (one or more) *',
    'apply.courses.hint':
      'The pre-diagnosis may lead to a different course. Places are given first come, first served until each course is full.',
    'apply.company': 'Your company',
    'apply.company.name': 'Company name (a sole proprietor: trade name or own name) *',
    'apply.company.corporateNumber': 'Corporate number (13 digits, optional)',
    'apply.company.corporateNumberHint': 'A sole proprietor may leave it empty.',
    'apply.company.industry': 'Industry *',
    'apply.company.industryPick': 'Choose one',
    'apply.company.capitalYen': 'Capital (yen)',
    'apply.company.capitalYenHint': 'Digits only. A sole proprietor may leave it empty.',
    'apply.company.employees': 'Employees *',
    'apply.company.soleProprietor': 'We are a sole proprietor',
    'apply.company.postalCode': 'Head office postal code *',
    'apply.company.postalCodeHint': 'For example 160-0023',
    'apply.company.address': 'Head office address *',
    'apply.company.addressHint': 'Starting with the prefecture. The head office must be in Tokyo.',
    'apply.company.priorSupport':
      'Support already received from an earlier cyber security programme (if any)',
    'apply.company.priorSupportHint':
      'The same support is given once; a different support may still be applied for.',
    'apply.company.subsidy':
      'We use a Tokyo subsidy that supports the same security measures as this programme',
    'apply.attestations': 'Requirements (all of A to G must hold) *',
    'apply.contact': 'Contact person',
    'apply.contact.name': 'Name of the contact person *',
    'apply.contact.phone': 'Phone *',
    'apply.contact.phoneHint': 'For example 03-1234-5678',
    'apply.contact.email': 'Email *',
    'apply.message': 'Questions or requests (optional)',
    'apply.website': 'Leave this field empty',
    'apply.submit': 'Apply',
    'apply.submitting': 'Sending…',
    'apply.pickCourse': 'Choose at least one course.',
    'apply.problems': 'Please check what you entered.',
    'apply.fieldProblem': '{field}: {problem}',

    'apply.receipt.title': 'Your application has been received',
    'apply.receipt.number': 'Receipt number',
    'apply.receipt.receivedAt': 'Received (Japan time)',
    'apply.receipt.courses': 'Courses applied for',
    'apply.receipt.held': 'Received (a place is held)',
    'apply.receipt.full': 'The course is full',
    'apply.receipt.already_applied': 'Already applied for',
    'apply.receipt.callbackDueOn': "The secretariat's call",
    'apply.receipt.callbackDue': 'We will contact you by {date}',
    'apply.receipt.notYet':
      'The application is not complete yet: the secretariat will call to explain the rules of participation, and it is complete once you have accepted them. We have emailed you an acknowledgement.',

    'apply.error.ineligible': 'The application cannot be accepted, for these reasons:',
    'apply.error.full':
      'The course you chose is full and no longer takes applications. Please consider another course.',
    'apply.error.closed': 'The programme is not taking applications at the moment.',
    'apply.error.already': 'The company has already applied for the courses chosen.',
    'apply.error.address': 'The postal code and the address do not match. Please check them.',
    'apply.error.rateLimited':
      'Too many applications came from here in a short time. Please try again a little later.',
    'apply.reason.SIZE_ABOVE_SME_LIMITS':
      "Both the capital and the headcount are above the SME limits for the company's industry.",
    'apply.reason.HEAD_OFFICE_NOT_IN_TOKYO': 'The head office is not in Tokyo.',
    'apply.reason.USES_EQUIVALENT_TOKYO_SUBSIDY':
      'The company uses a Tokyo subsidy that supports the same measures.',
    'apply.reason.ATTESTATION_MISSING': 'A requirement was not confirmed: {item}',
    'apply.reason.PRIOR_SUPPORT':
      'The company already received the {course} support (the same support is given once).',
    'questionnaire.title': 'Questionnaire after the support',
    'questionnaire.intro':
      'Thank you for taking part in {programme}. Please answer our survey on security awareness. * marks a required question.',
    'questionnaire.yes': 'Yes',
    'questionnaire.no': 'No',
    'questionnaire.submit': 'Send the answers',
    'questionnaire.thanks': 'Thank you for your answers',
    'questionnaire.thanksText': 'Your answers were received at {at}.',
    'questionnaire.alreadyAnswered': 'This questionnaire has already been answered.',
    'questionnaire.error.invalid':
      'Some questions are unanswered or out of range. Please check the marked questions.',
    'questionnaire.error.field': 'Please answer this question.',
    'questionnaire.error.notFound':
      'This questionnaire was not found. Please check the link in the email.',
    'questionnaire.error.answered': 'This questionnaire has already been answered.',
  },
};
