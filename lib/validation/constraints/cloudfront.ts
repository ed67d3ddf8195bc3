// cloudfront's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'cloudfront' look-ups.
import data from '@/models/console-constraints/cloudfront.json';
import { provideConstraints } from '../aws-model';

provideConstraints('cloudfront', data);
