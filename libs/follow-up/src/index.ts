export { FOLLOW_UP_ENTITIES } from './entities';
export { FollowUpError } from './follow-up.errors';
export type { FollowUpErrorCode } from './follow-up.errors';
export { FollowUpModule } from './follow-up.module';
