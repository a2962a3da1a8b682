import { QuestionnaireEntity } from './questionnaire/questionnaire.entity';

/** The follow-up library's tables (questionnaires, hearings): each entity is listed here once. */
export const FOLLOW_UP_ENTITIES: Array<new () => object> = [QuestionnaireEntity];
