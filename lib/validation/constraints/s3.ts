// s3's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 's3' look-ups.
import data from '@/models/console-constraints/s3.json';
import { provideConstraints } from '../aws-model';

provideConstraints('s3', data);
