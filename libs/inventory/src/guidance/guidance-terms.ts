// Pure: the management course's words. No I/O, no Nest.

export const GUIDANCE_MODES = ['on_site', 'online'] as const;
/** The expert came to the company, or met it online (ご希望によりオンライン形式でも実施可能). */
export type GuidanceMode = (typeof GUIDANCE_MODES)[number];

export const GUIDANCE_TOPICS = [
  'basic_policy',
  'rules',
  'implementation_plan',
  'declaration',
] as const;
/**
 * What a session worked on, in the order the course builds it: the basic security policy
 * (基本方針), the internal rules (規程), the plan for measures and their operation (実施計画), and
 * the SECURITY ACTION two-star declaration (二つ星宣言) itself.
 */
export type GuidanceTopic = (typeof GUIDANCE_TOPICS)[number];
