// ecr-public's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'ecr-public' look-ups.
import data from '@/models/console-constraints/ecr-public.json';
import { provideConstraints } from '../aws-model';

provideConstraints('ecr-public', data);
