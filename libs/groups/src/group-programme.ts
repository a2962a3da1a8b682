import type { GroupRules, ProgramEntity } from '@app/inventory';
import { GroupsError } from './groups.errors';

/** A programme for groups: it carries its group rules and the first day of its support. */
export type GroupProgramme = ProgramEntity & { groupRules: GroupRules; supportStartsOn: string };

/** The programme as a group programme, or 422 PROGRAM_NOT_FOR_GROUPS for one of single companies. */
export function groupProgramme(program: ProgramEntity): GroupProgramme {
  if (program.kind !== 'groups' || !program.groupRules || !program.supportStartsOn) {
    throw new GroupsError(
      'PROGRAM_NOT_FOR_GROUPS',
      `The programme ${program.code} is for single companies, not for groups`,
      { programCode: program.code, kind: program.kind },
    );
  }
  return program as GroupProgramme;
}
