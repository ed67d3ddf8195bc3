// ecr's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'ecr' look-ups.
import data from '@/models/console-constraints/ecr.json';
import { provideConstraints } from '../aws-model';

provideConstraints('ecr', data);
