import { messages as admin } from './admin';
import { messages as apply } from './apply';
import { messages as common } from './common';
import { messages as desk } from './desk';
import { messages as groups } from './groups';
import { messages as sales } from './sales';
import { messages as secretariat } from './secretariat';
import { messages as technician } from './technician';

type Catalogue = Record<string, string>;

/** Every area's messages in one catalogue per language; keys are prefixed by their area. */
export const messages: { ja: Catalogue; en: Catalogue } = {
  ja: {
    ...common.ja,
    ...desk.ja,
    ...technician.ja,
    ...sales.ja,
    ...apply.ja,
    ...secretariat.ja,
    ...groups.ja,
    ...admin.ja,
  },
  en: {
    ...common.en,
    ...desk.en,
    ...technician.en,
    ...sales.en,
    ...apply.en,
    ...secretariat.en,
    ...groups.en,
    ...admin.en,
  },
};
