import { type DynamicModule, Global, Module } from '@nestjs/common';
import { SecretBox } from '@app/persistence';
import type { AppConfig } from './app-config';
import { loadSecretKey } from './secret-key';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The one validated config object (`@Inject(APP_CONFIG)`) and the SecretBox built from its key. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretBox, useFactory: () => new SecretBox(loadSecretKey(config)) },
      ],
      exports: [APP_CONFIG, SecretBox],
    };
  }
}
