// @ts-check
import tseslint from 'typescript-eslint';

const restrictedLibImports = {
  patterns: [
    { group: ['**/apps/**', 'apps/*'], message: 'Libraries never import apps.' },
    { group: ['@app/*/**'], message: 'Import a lib only through its index (@app/<lib>).' },
    {
      group: ['@app/database'],
      message: 'Libraries never import the data source (it imports them).',
    },
  ],
};

const pureRuleFiles = [
  'libs/access/src/people/user.ts',
  'libs/access/src/sessions/session.ts',
  'libs/inventory/src/calendar/business-date.ts',
  'libs/inventory/src/calendar/business-days.ts',
  'libs/inventory/src/calendar/office-days.ts',
  'libs/inventory/src/application/application-steps.ts',
  'libs/inventory/src/calendar/japanese-holidays.ts',
  'libs/inventory/src/company/sme-eligibility.ts',
  'libs/inventory/src/company/corporate-number.ts',
  'libs/inventory/src/address/tokyo-address.ts',
  'libs/inventory/src/enrollment/pre-diagnosis.ts',
  'libs/inventory/src/enrollment/enrollment-rules.ts',
  'libs/inventory/src/program/application-window.ts',
  'libs/inventory/src/**/*-lifecycle.ts',
  'libs/inventory/src/**/*-rules.ts',
  'libs/inventory/src/document/document-text.ts',
  'libs/groups/src/report/group-report.ts',
  // What FortiOS prints and how its config is planned: text rules, no I/O.
  'libs/fortios/src/**/*.ts',
  'libs/inventory/src/appliance/shipping-list.ts',
  'libs/inventory/src/loan/reservation-rules.ts',
  'libs/provisioning/src/health/health-verdict.ts',
  'libs/provisioning/src/run/job-retry.ts',
  'libs/provisioning/src/trial-end/trial-end-plan.ts',
  // Monthly reports: the rules, not the entity, repository or service beside them.
  'libs/reports/src/report-month.ts',
  'libs/reports/src/health-records.ts',
  'libs/reports/src/polled-uptime.ts',
  'libs/reports/src/monthly-report.ts',
  'libs/reports/src/monthly-report-data.ts',
  'libs/reports/src/sampled-detections.ts',
  'libs/reports/src/event-figures.ts',
  'libs/reports/src/render/monthly-report-*.ts',
  'libs/persistence/src/backoff.ts',
  // Incidents: which detections matter, correlation, the workflow, the on-call mail's text.
  'libs/incidents/src/incident-severity.ts',
  'libs/incidents/src/rule/rule-match.ts',
  'libs/incidents/src/incident/correlation.ts',
  'libs/incidents/src/incident/incident-lifecycle.ts',
  'libs/incidents/src/incident/incident-mail.ts',
  'libs/incidents/src/incident/incident-figures.ts',
  'libs/inventory/src/calendar/visit-hours.ts',
  'libs/detections/src/edr/edr-threat-detection.ts',
  'libs/detections/src/figures/monthly-detections.ts',
  'libs/detections/src/figures/detection-counts.ts',
  'libs/provisioning/src/edr/sentinelone-threat-mapping.ts',
  'libs/mail/src/delivery/mail-delivery-rules.ts',
  'libs/mail/src/tokyo-time.ts',
  'libs/provisioning/src/alerts/alert-mail.ts',
  'libs/inventory/src/trial/trial-reminder-mail.ts',
  'libs/inventory/src/application/application-acknowledgement-mail.ts',
  // UTM log lines: what a line is and how it reads as a detection; syslog framing.
  'libs/detections/src/utm/utm-classification.ts',
  'libs/detections/src/utm/utm-event-reading.ts',
  'apps/log-intake/src/syslog-framing.ts',
  // Single sign-on: how an OpenID provider's claims become a person and roles.
  'libs/access/src/oidc/oidc-claims.ts',
  // The group programme: which groups may be chosen.
  'libs/groups/src/group/group-eligibility.ts',
  'libs/groups/src/group/group-selection.ts',
  // Its money: fiscal years, budgets, subsidies.
  'libs/groups/src/money/money-rules.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      '**/*.js',
      '**/*.mjs',
      'apps/web/src/api/schema.d.ts',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
    },
  },
  { files: ['libs/**/*.ts'], rules: { 'no-restricted-imports': ['error', restrictedLibImports] } },
  {
    // The in-memory FortiOS CLI plays a unit for the simulator and tests; production talks to units.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'config/**/*.ts'],
    ignores: ['apps/simulator/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Libraries keep their own rule too (this entry replaces it for them).
          patterns: [],
          paths: [
            {
              name: '@app/fortios/testing',
              message: 'The CLI interpreter is for the simulator and tests only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...restrictedLibImports,
          paths: [
            {
              name: '@app/fortios/testing',
              message: 'The CLI interpreter is for the simulator and tests only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: pureRuleFiles,
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...restrictedLibImports,
          paths: ['typeorm', 'node-ssh', 'axios', 'ssh2'].map((name) => ({
            name,
            message: 'Domain rules stay pure: no I/O libraries.',
          })),
          patterns: [
            ...restrictedLibImports.patterns,
            { group: ['@nestjs/*'], message: 'Domain rules stay pure: no Nest.' },
          ],
        },
      ],
    },
  },
  {
    // Domain events are announced typed (EventPayloads), each by its one producer; `publish` takes
    // any payload and is for the outbox itself and for tests.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'config/**/*.ts'],
    ignores: ['libs/events/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name='publish']",
          message:
            'Announce events with EventPublisher.announce / announceMany (payloads typed by event).',
        },
      ],
    },
  },
  {
    // Tests and fakes poke at untyped JSON bodies on purpose.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
