export const COURSES = ['utm', 'edr', 'management'] as const;
/** ① UTM appliance installation, ② EDR deployment, ③ security-management guidance. */
export type Course = (typeof COURSES)[number];

export function isCourse(value: string): value is Course {
  return (COURSES as readonly string[]).includes(value);
}
