import type { BusinessDate } from '../calendar/business-date';

export interface ApplicationWindow {
  code: string;
  applicationOpensOn: BusinessDate;
  applicationClosesOn: BusinessDate;
}

/** Both ends of the window are inclusive: applications on the closing day count. */
export function isApplicationOpen(window: ApplicationWindow, today: BusinessDate): boolean {
  return window.applicationOpensOn <= today && today <= window.applicationClosesOn;
}

/**
 * The programme an enrolment goes to when the client names none: the one whose window is open
 * today. Should windows overlap, the most recently opened one wins (then the code, for stability).
 */
export function pickOpenProgram<T extends ApplicationWindow>(
  programs: T[],
  today: BusinessDate,
): T | null {
  const open = programs.filter((program) => isApplicationOpen(program, today));
  open.sort((a, b) =>
    a.applicationOpensOn === b.applicationOpensOn
      ? a.code.localeCompare(b.code)
      : b.applicationOpensOn.localeCompare(a.applicationOpensOn),
  );
  return open[0] ?? null;
}
