// iam's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'iam' look-ups.
import data from '@/models/console-constraints/iam.json';
import { provideConstraints } from '../aws-model';

provideConstraints('iam', data);
