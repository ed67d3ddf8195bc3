// sts's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'sts' look-ups.
import data from '@/models/console-constraints/sts.json';
import { provideConstraints } from '../aws-model';

provideConstraints('sts', data);
