// @app/config: the typed configuration and what every process needs from it. It imports no lib
// entities, so libs may depend on it; the database side is @app/database (config/database.ts).
export { ConfigError, loadConfig } from './app-config';
export type { AppConfig, EdrConfig, OidcConfig } from './app-config';
export { APP_CONFIG, AppConfigModule } from './app-config.module';
export { PinoNestLogger, REDACTED_PATHS, createRootLogger } from './logger';
export { loadSecretKey } from './secret-key';
