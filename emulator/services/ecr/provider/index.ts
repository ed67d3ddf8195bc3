import type { ECR } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import { imageProviders } from './images';
import { layerProviders } from './layers';
import { lifecycleProviders } from './lifecycle';
import { pullThroughProviders } from './pull-through';
import { registryProviders } from './registry';
import { repositoryProviders } from './repositories';
import { templateProviders } from './templates';

/** Every ECR API operation the emulator implements, one thin typed function each. */
export const providers: Providers<ECR> = {
  ...repositoryProviders,
  ...imageProviders,
  ...layerProviders,
  ...lifecycleProviders,
  ...registryProviders,
  ...pullThroughProviders,
  ...templateProviders,
};
