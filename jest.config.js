// Path aliases come from tsconfig.json, so they are written down once.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      swcrc: false,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
  // NestJS 12 ships as ES modules; jest's CommonJS runtime needs them transformed.
  '^.+\\.js$': [
    '@swc/jest',
    {
      swcrc: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  moduleNameMapper,
  transform,
  // openid-client, oauth4webapi, jose and oidc-provider are ES modules only, as NestJS is.
  transformIgnorePatterns: [
    '/node_modules/(?!@nestjs/|openid-client/|oauth4webapi/|jose/|oidc-provider/)',
  ],
  testEnvironment: 'node',
};

module.exports = {
  rootDir: __dirname,
  // Integration tests start real servers; unit tests finish in milliseconds either way.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,config,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{apps,libs,config}/**/*.int-spec.ts',
        '<rootDir>/test/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
