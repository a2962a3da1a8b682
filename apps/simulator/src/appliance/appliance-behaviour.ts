/**
 * How a simulated unit behaves where real FortiGates are known to differ, or where what they do is
 * not confirmed (../shared/vendor-apis.md, A4). Each is chosen per appliance, so a test can run the
 * controller against every plausible form; none is a fault.
 */
export interface ApplianceBehaviour {
  /**
   * What an exec channel prints before each command's output: the prompt and the command (`echo`),
   * the prompt alone (`prompt`, as published scripts parse `FGT60F # Version: …`), or nothing.
   * Interactive shells always show the prompt and echo what is typed.
   */
  execOutput: 'echo' | 'prompt' | 'none';
  /** A post-login disclaimer (`set post-login-banner enable`) the admin accepts with `a`. */
  loginBanner: boolean;
  /** `get system performance status` as older firmware prints it (`Memory states: 33% used`). */
  performanceFormat: 'current' | 'legacy';
  /** After a forced password change the unit ends the session instead of showing the prompt. */
  endsSessionAfterPasswordChange: boolean;
}

export const DEFAULT_BEHAVIOUR: ApplianceBehaviour = {
  execOutput: 'prompt',
  loginBanner: false,
  performanceFormat: 'current',
  endsSessionAfterPasswordChange: false,
};

const CHOICES: { [K in keyof ApplianceBehaviour]: readonly ApplianceBehaviour[K][] } = {
  execOutput: ['echo', 'prompt', 'none'],
  loginBanner: [true, false],
  performanceFormat: ['current', 'legacy'],
  endsSessionAfterPasswordChange: [true, false],
};

/** A partial behaviour from untrusted JSON (the control API); throws naming the bad field. */
export function parseBehaviour(body: Record<string, unknown>): Partial<ApplianceBehaviour> {
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const allowed: readonly unknown[] | undefined = CHOICES[name as keyof ApplianceBehaviour];
    if (!allowed) throw new Error(`unknown behaviour "${name}"`);
    if (!allowed.includes(value)) {
      throw new Error(`${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    patch[name] = value;
  }
  return patch;
}

/**
 * FortiOS 7.6's rule for a new admin password: 12 characters or more, with an upper-case letter, a
 * lower-case letter, a digit and a symbol. A weaker one makes the unit ask again.
 */
export function isStrongPassword(password: string): boolean {
  return (
    password.length >= 12 &&
    /[A-Z]/.test(password) &&
    /[a-z]/.test(password) &&
    /[0-9]/.test(password) &&
    /[^A-Za-z0-9]/.test(password)
  );
}
