import type { ProgramEntity } from '@app/inventory';
import { GroupsError } from '../groups.errors';
import { groupProgramme } from '../group-programme';
import type { GroupEntity } from '../group/group.entity';
import type { Rate, SupportPeriod } from './money-rules';

/** What a group programme's rules say about money (`programs.group_rules`, seed 003). */
export interface MoneyTerms {
  support: SupportPeriod;
  budgetPerFiscalYearYen: number;
  subsidyRate: Rate;
  smallEnterpriseSubsidyRate: Rate;
}

/** The money terms of the group's programme; a programme for single companies has none. */
export function moneyTerms(of: ProgramEntity): MoneyTerms {
  const program = groupProgramme(of);
  const rules = program.groupRules;
  return {
    support: { startsOn: program.supportStartsOn, endsOn: program.endsOn },
    budgetPerFiscalYearYen: rules.budgetPerFiscalYearYen,
    subsidyRate: rules.subsidyRate,
    smallEnterpriseSubsidyRate: rules.smallEnterpriseSubsidyRate,
  };
}

/** Costs and purchases are booked for a group the programme chose, and only while it is chosen. */
export function requireSelected(group: GroupEntity): void {
  if (group.state !== 'selected') {
    throw new GroupsError(
      'GROUP_NOT_SELECTED',
      `The group is ${group.state}: costs and purchases are recorded only for a selected group`,
      { state: group.state },
    );
  }
}
